FROM debian:bookworm-slim AS base
COPY app /usr/local/bin/app
CMD ["app", "--help"]
ENTRYPOINT ["/usr/local/bin/app"]
CMD --serve --port 8080
FROM base AS debug
COPY --from=debug /usr/local/bin/app /tmp/app
FROM base AS base
EXPOSE 99999
WORKDIR relative/dir
USER root
