#!/usr/bin/env bash
# Seconds from `npm start` to /healthz and to /readyz: first a cold start (empty DATA_DIR, so the
# index is built), then a warm one (index loaded). Usage: scripts/measure-startup.sh [PORT]
set -u
PORT=${1:-3917}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
for run in cold warm; do
  start=$(date +%s.%N)
  DATA_DIR=$DIR PORT=$PORT TRIAGE_TOKEN=measure-startup-token setsid npm start >"$DIR/$run.log" 2>&1 &
  pid=$!
  health=""
  ready=""
  for _ in $(seq 1 1200); do
    now=$(date +%s.%N)
    [ -z "$health" ] && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && health=$(echo "$now - $start" | bc)
    [ -z "$ready" ] && curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && ready=$(echo "$now - $start" | bc) && break
    sleep 0.1
  done
  echo "$run start: /healthz after ${health:-never}s, /readyz after ${ready:-never}s"
  kill -TERM -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  sleep 1
done
