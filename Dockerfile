# The drafting tool, production-like: gunicorn behind whatever proxy you use, PostgreSQL via DATABASE_URL.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY manage.py ./
COPY drafting ./drafting
COPY templates ./templates
COPY static ./static
COPY docker/entrypoint.sh /entrypoint.sh

# Static files are collected at build time and served by whitenoise.
RUN ALLOW_INSECURE_SECRET_KEY=1 python manage.py collectstatic --noinput \
    && useradd --system --home /app drafting \
    && mkdir -p /app/var && chown drafting /app/var

USER drafting
EXPOSE 8000
ENTRYPOINT ["/entrypoint.sh"]
