# The drafting tool, production-like: gunicorn, static files served by whitenoise,
# PostgreSQL through DATABASE_URL (see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/app/var

WORKDIR /app

# LibreOffice turns the Word exports into PDF in the export worker (drafting/engine/pdf.py): the
# writer without the desktop, and fonts metric-compatible with Times New Roman and Arial, which ITU
# documents are set in. LibreOffice is about 200 MB installed (more with the libraries the slim image
# lacks): a larger image rather than a browser in production; without it PDF export is not offered.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that code changes do not reinstall them. Runtime ones only:
# requirements-dev.txt (pytest, playwright, ruff) stays out of the image.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The application; .dockerignore keeps out the tests, the venv, local data and caches.
COPY . .

# Static files are collected at build time (whitenoise serves them). The settings
# refuse to start without SECRET_KEY; the build needs none, the running container does.
RUN SECRET_KEY=build-only-key-for-collectstatic-never-used-at-run-time DEBUG=0 python manage.py collectstatic --noinput \
    && useradd --system --no-create-home --home-dir /app drafting \
    && mkdir -p "$DATA_DIR" \
    && chown drafting "$DATA_DIR"

USER drafting
EXPOSE 8000
ENTRYPOINT ["sh", "/app/docker/entrypoint.sh"]
