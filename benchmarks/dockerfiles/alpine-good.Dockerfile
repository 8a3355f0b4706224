FROM alpine:3.22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1
RUN apk add --no-cache ca-certificates=20250619-r0 \
 && addgroup -S app && adduser -S -G app app
COPY --chown=app:app bin/app /usr/local/bin/app
USER app
HEALTHCHECK CMD ["/usr/local/bin/app", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/app"]
