FROM fedora:40
RUN dnf install -y httpd mod_ssl
RUN dnf --nogpgcheck install -y https://example.com/custom.rpm
EXPOSE 443
CMD ["/usr/sbin/httpd", "-DFOREGROUND"]
