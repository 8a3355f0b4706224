FROM php:8.3-fpm
RUN set -ex; \
	apt-get update; \
	apt-get install -y --no-install-recommends libjpeg-dev libpng-dev libzip-dev; \
	docker-php-ext-configure gd --with-jpeg; \
	docker-php-ext-install -j "$(nproc)" gd mysqli zip; \
	rm -rf /var/lib/apt/lists/*
VOLUME /var/www/html
COPY --chown=www-data:www-data docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["php-fpm"]
