FROM node:20-bullseye-slim
RUN apt-get update && apt-get install -y curl && curl -sL https://dl.yarnpkg.com/install.sh | bash
WORKDIR /app
COPY . /app
RUN yarn install --frozen-lockfile
RUN npm install -g pm2
CMD pm2-runtime ecosystem.config.js
