# The app as docker-compose.yml runs it, on loopback, for the load test and the ceiling (sourced by both):
# a throwaway PostgreSQL, the static files collected, the synthetic conference, gunicorn (one group, or
# LOADTEST_WEB_GROUPS of them sharing one cache in PostgreSQL), the live service (uvicorn, one process),
# the export worker, and the proxy docker-compose.yml ships (Debian's caddy, docker/Caddyfile) in front.
#
# Needs PY, work (a scratch folder) and out (where logs go). Sets: host (the proxy's URL: what browsers
# use), web_ports (each web group's own port), stream_port, cpu_pids (for scripts/loadtest/cpu.py),
# pids (to stop: stack_stop). The caller defines cleanup (run at exit, after any failure: stack_stop and
# throwaway_postgres_stop). Environment: LOADTEST_DELEGATES (1000), LOADTEST_STORM (accounts for the
# login storm, 200), LOADTEST_STREAM (1), LOADTEST_WEB_GROUPS (1), WEB_CONCURRENCY (3), GUNICORN_THREADS (4),
# LOADTEST_ACCESS_LOG (set: each web group writes its requests and times to access-N.log).

# shellcheck source=../throwaway-postgres
source scripts/throwaway-postgres
trap cleanup EXIT  # sourcing it replaced the caller's
pids=()
stack_stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}

export DATABASE_URL=$TEST_POSTGRES_URL
export SECRET_KEY="loadtest-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=60 TASKS_BACKEND=database LOG_LEVEL=ERROR
export DJANGO_SETTINGS_MODULE=drafting.settings
export LOADTEST_GC_DIR="$out"
groups=${LOADTEST_WEB_GROUPS:-1}
if [ "$groups" -gt 1 ]; then
  # Several web process groups, as several machines would be: one cache between them, in PostgreSQL.
  export CACHE_URL=db://
fi

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py createcachetable
# The static files as the image has them (hashed names, compressed).
export STATIC_ROOT="$work/static"
"$PY" manage.py collectstatic --noinput -v0
"$PY" -m scripts.loadtest.conference "$out/world.json" --delegates "${LOADTEST_DELEGATES:-1000}" \
  --storm "${LOADTEST_STORM:-200}"

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
host="http://127.0.0.1:$port"
stream_port=$(free_port)
if [ "${LOADTEST_STREAM:-1}" = 1 ]; then
  # Pages hold the stream through the proxy, as docker-compose.yml's web service tells them.
  export LIVE_STREAM_URL=/live/stream
else
  export LIVE_STREAM_URL=
fi
# The live stream, as docker-compose.yml's live service runs it (one process: --workers 1; as many
# streams as compose lets it hold).
# Every simulated browser comes from loopback: no per-address cap here.
LIVE_STREAM_MAX_CONNECTIONS=${LIVE_STREAM_MAX_CONNECTIONS:-5000} LIVE_STREAM_MAX_PER_ADDRESS=100000 \
  "$PY" -m uvicorn drafting.live.stream:app --host 127.0.0.1 --port "$stream_port" --workers 1 --no-access-log \
  --log-level warning --timeout-graceful-shutdown 3 \
  --http drafting.live.protocol:FirstRequestDeadline --timeout-keep-alive 5 >"$out/stream.log" 2>&1 &
pids+=($!)
cpu_pids="live=$!"
web_ports=()
for group in $(seq 1 "$groups"); do
  web_port=$(free_port)
  web_ports+=("$web_port")
  # As docker-compose.yml runs it.
  "$PY" -m gunicorn drafting.wsgi:application --bind "127.0.0.1:$web_port" --workers "${WEB_CONCURRENCY:-3}" \
    --worker-class gthread --threads "${GUNICORN_THREADS:-4}" --keep-alive "${GUNICORN_KEEPALIVE:-20}" --timeout 120 --no-control-socket \
    ${LOADTEST_ACCESS_LOG:+--access-logfile "$out/access-$group.log" --access-logformat '%(t)s %(m)s %(U)s %(s)s %(M)s'} \
    --config scripts/loadtest/gunicorn_gc.py \
    >"$out/gunicorn-$group.log" 2>&1 &
  pids+=($!)
  if [ "$groups" -gt 1 ]; then cpu_pids="$cpu_pids web-$group=$!"; else cpu_pids="$cpu_pids web=$!"; fi
done
upstreams=$(printf '127.0.0.1:%s ' "${web_ports[@]}")
# The proxy docker-compose.yml ships, with the same Caddyfile (Debian's caddy), in front of both.
SITE_ADDRESS="$host" WEB_UPSTREAM="${upstreams% }" LIVE_UPSTREAM="127.0.0.1:$stream_port" \
  XDG_DATA_HOME="$work" XDG_CONFIG_HOME="$work" caddy run --config docker/Caddyfile --adapter caddyfile \
  >"$out/caddy.log" 2>&1 &
pids+=($!)
cpu_pids="$cpu_pids proxy=$!"
"$PY" manage.py db_worker --interval 0.5 >"$out/worker.log" 2>&1 &
pids+=($!)
cpu_pids="$cpu_pids worker=$! postgres=$("$PY" -c '
import os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as c:
    print(open(c.execute("SHOW data_directory").fetchone()[0] + "/postmaster.pid").readline().strip())
')"
for up in "${web_ports[@]}" "$stream_port" "$port"; do
  for _ in $(seq 1 200); do
    "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$up/healthz', timeout=2)" 2>/dev/null && break
    sleep 0.3
  done
done
