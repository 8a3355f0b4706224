FROM centos:7
MAINTAINER admin@example.com
RUN yum -y update
RUN yum install -y epel-release && yum install -y nginx supervisor
RUN sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.conf
ADD supervisord.conf /etc/supervisord.conf
ADD app /opt/app
RUN chmod -R 777 /opt/app
EXPOSE 80 22
CMD ["/usr/bin/supervisord", "-n"]
