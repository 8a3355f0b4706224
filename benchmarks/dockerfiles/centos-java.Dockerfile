FROM centos:centos7
RUN yum install -y java-1.8.0-openjdk wget && yum clean all
RUN wget http://archive.example.org/tomcat/apache-tomcat-8.5.3.tar.gz -O /tmp/tomcat.tgz
RUN tar xzf /tmp/tomcat.tgz -C /opt && rm /tmp/tomcat.tgz
ENV CATALINA_HOME /opt/apache-tomcat-8.5.3
EXPOSE 8080
CMD $CATALINA_HOME/bin/catalina.sh run
