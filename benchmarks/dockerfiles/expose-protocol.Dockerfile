FROM nginx:1.27
EXPOSE 8080/http
CMD nginx -g "daemon off;"
