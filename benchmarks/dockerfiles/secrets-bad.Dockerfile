FROM node:18-alpine
ARG NPM_TOKEN=abc
ENV AWS_SECRET_ACCESS_KEY=AKIAEXAMPLE
COPY .npmrc /root/.npmrc
COPY id_rsa /root/.ssh/id_rsa
RUN npm install
RUN rm /root/.npmrc
COPY . .
CMD ["npm", "start"]
