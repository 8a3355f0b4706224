FROM golang:1.21-alpine AS builder
RUN apk add git make
WORKDIR /go/src/app
COPY . .
RUN make build
FROM alpine:3.18
RUN apk update && apk add ca-certificates tzdata
COPY --from=builder /go/src/app/bin/server /server
EXPOSE 3000
CMD /server --config /etc/server.yaml
