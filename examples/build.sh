#!/bin/sh
# Build the hello app's image, as in the project notes (k8s/hello.yaml runs it).
set -e
docker build --tag=friendlyhello:v1 app
