FROM golang:1.25 as build
WORKDIR /app
ADD . /app
RUN cd /app && go build -o hello .
FROM scratch
COPY --from=build /app/hello /hello
CMD ["/hello"]
