FROM python:3.11-bullseye
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential \
        libopenblas-dev \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir numpy==1.26.4 pandas scikit-learn==1.5.0
COPY notebooks/ /work/notebooks/
WORKDIR /work
RUN useradd -m analyst
USER analyst
CMD ["jupyter", "lab", "--ip=0.0.0.0"]
