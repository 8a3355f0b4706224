FROM python:2.7
MAINTAINER Ops Team <ops@example.com>
RUN apt-get update
RUN apt-get install -y python-dev libxml2-dev libxslt1-dev
RUN pip install --trusted-host pypi.python.org lxml==3.8.0 requests
ADD . /code
WORKDIR /code
RUN pip install -r requirements.txt
EXPOSE 8000
CMD python manage.py runserver 0.0.0.0:8000
