#!/bin/sh
# Migrate, optionally load the demo data, then serve with gunicorn.
set -e
python manage.py migrate --noinput
if [ "${LOAD_DEMO:-0}" = "1" ]; then
  python manage.py load_demo
fi
exec gunicorn drafting.wsgi:application \
  --bind 0.0.0.0:8000 \
  --workers "${WEB_CONCURRENCY:-3}" \
  --access-logfile - \
  --timeout 120
