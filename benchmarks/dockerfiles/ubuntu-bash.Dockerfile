FROM ubuntu:24.04
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates=20240203 curl=8.5.0-2ubuntu10.6 \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/tool-linux-amd64.tar.gz | tar -xz -C /usr/local/bin tool
RUN groupadd -g 10001 app && useradd -l -u 10001 -g app app
USER app
ENTRYPOINT ["/usr/local/bin/tool"]
