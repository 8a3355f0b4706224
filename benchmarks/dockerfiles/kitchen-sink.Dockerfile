FROM ubuntu
RUN apt update && apt install -y --allow-unauthenticated curl wget
RUN wget -qO- https://get.example.com | sh
RUN curl https://example.com/x.sh | bash
RUN pip3 install flask requests
RUN apt-get install python3-pip
ADD https://example.com/release.tar.gz /opt/
COPY a.txt b.txt /opt
RUN service ssh start
RUN useradd -u 1000000 worker
HEALTHCHECK CMD curl -f http://localhost/
HEALTHCHECK CMD curl -f http://localhost/health
USER 0
