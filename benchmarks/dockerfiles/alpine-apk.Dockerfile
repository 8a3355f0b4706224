FROM alpine:3.15
RUN apk update
RUN apk add --no-cache bash curl jq
RUN apk add openssl
COPY entrypoint.sh /entrypoint.sh
RUN chmod +x /entrypoint.sh
ENTRYPOINT /entrypoint.sh
