#!/bin/sh
# The web container: migrate, load the demo data when LOAD_DEMO=1, then serve with gunicorn.
# With arguments, runs them instead (one-off commands), e.g.
#   docker compose run --rm -T web python manage.py setup_installation --officer NAME < password-file
set -eu

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

python manage.py migrate --noinput
# Only does something when CACHE_URL=db:// (the cache shared through PostgreSQL).
python manage.py createcachetable
if [ "${LOAD_DEMO:-0}" = "1" ]; then
  python manage.py load_demo
fi

# --keep-alive: a page's connection stays open between a delegate's requests (opening a clause,
# then saving it seconds later); with gunicorn's 2 s a save sent as the idle connection closed
# failed. Idle connections wait in gthread's selector, not in a thread.
# --no-control-socket: gunicorn otherwise opens a control socket under $HOME,
# which the image's user cannot write (and nothing here uses).
exec gunicorn drafting.wsgi:application \
  --bind 0.0.0.0:8000 \
  --workers "${WEB_CONCURRENCY:-3}" \
  --worker-class gthread \
  --threads "${GUNICORN_THREADS:-4}" \
  --keep-alive "${GUNICORN_KEEPALIVE:-20}" \
  --access-logfile - \
  --timeout 120 \
  --no-control-socket
