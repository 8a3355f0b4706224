# syntax=docker/dockerfile:1.4
FROM debian:bookworm-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl
rm -rf /var/lib/apt/lists/*
EOF
COPY <<EOF /etc/app/config.toml
[server]
port = 8080
EOF
RUN useradd -l -u 10001 app
USER app
CMD ["/usr/local/bin/app"]
