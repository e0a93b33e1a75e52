#!/usr/bin/env bash
# Analytics benchmark on a scratch `tinko up` (embedded Postgres in a scratch directory, deleted at the end):
#   1. generate history: ATTEMPTS recovery attempts (default 10,000,000) over 90 days across 100 tenants
#   2. the first `tinko analytics` run: a full rebuild of every rollup
#   3. EVENTS new events (default 100,000), then an incremental `tinko analytics` run
#   4. analytics endpoint latency: REQUESTS sequential calls per endpoint (after a warm-up), p50 / p99 / max
# Usage: analytics-batch/bench/bench.sh        env: ATTEMPTS EVENTS REQUESTS PORT SCRATCH KEEP=1 (keep the data)
# Needs ~6 GB free disk at 10M attempts. The job's own timing is the "in N s" of its summary line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tinko="$root/bin/tinko"
attempts="${ATTEMPTS:-10000000}"
events="${EVENTS:-100000}"
requests="${REQUESTS:-2000}"
port="${PORT:-18790}"
scratch="${SCRATCH:-$(mktemp -d /tmp/tinko-analytics-bench.XXXXXX)}"
export TINKO_EMBEDDED_DATA_DIR="$scratch/data" TINKO_HTTP_PORT="$port" TINKO_LOGGING_LEVEL=WARN

cleanup() {
  [ -n "${up_pid:-}" ] && kill "$up_pid" 2>/dev/null && wait "$up_pid" 2>/dev/null || true
  if [ "${KEEP:-0}" != "1" ]; then rm -rf "$scratch"; else echo "bench: data kept in $scratch"; fi
}
trap cleanup EXIT

echo "bench: scratch $scratch; df: $(df -h "$scratch" | awk 'NR==2 {print $4}') free"
"$tinko" up >"$scratch/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 1 180); do
  curl -fs "localhost:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$up_pid" 2>/dev/null || { cat "$scratch/up.log"; exit 1; }
  sleep 1
done

echo "bench: generating $attempts attempts (100 tenants, 90 days)"
"$tinko" analytics generate --attempts "$attempts" --days 90 --tenants 100 --api-key | tee "$scratch/generate.log"
key="$(grep -o 'tk_live_[A-Za-z0-9_-]*' "$scratch/generate.log" | tail -1)"

run_job() {
  local started ended code
  started=$(date +%s.%N)
  set +e; "$tinko" analytics | tee -a "$scratch/analytics.log"; code=${PIPESTATUS[0]}; set -e
  ended=$(date +%s.%N)
  printf 'bench: %s: exit %s, %.1f s wall (JVM start included)\n' "$1" "$code" "$(echo "$ended - $started" | bc)"
}
run_job "full rebuild"
"$tinko" analytics generate --events "$events"
run_job "incremental after $events events"
run_job "incremental with nothing new"

to="$(date -u +%F)"; from30="$(date -u -d '29 days ago' +%F)"; from90="$(date -u -d '89 days ago' +%F)"
latency() {
  local name="$1" path="$2" f="$scratch/lat-$1.txt"
  for _ in $(seq 1 100); do curl -s -o /dev/null -H "Authorization: Bearer $key" "localhost:$port$path"; done
  : >"$f"
  for _ in $(seq 1 "$requests"); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $key" "localhost:$port$path" >>"$f"
  done
  sort -k2 -n "$f" | awk -v n="$requests" -v name="$name" '
    $1 != 200 {bad++} {t[NR] = $2 * 1000}
    END {printf "bench: %-28s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%d calls, %d not 200)\n",
         name, t[int(n * 0.50)], t[int(n * 0.99)], t[n], n, bad}'
}
latency summary-30d "/v1/analytics/summary?from=$from30&to=$to"
latency summary-90d-usd "/v1/analytics/summary?from=$from90&to=$to&currency=USD"
latency timeseries-day-30d "/v1/analytics/timeseries?metric=recovered_amount&interval=day&from=$from30&to=$to"
latency timeseries-week-p50-90d "/v1/analytics/timeseries?metric=time_to_recover_p50&interval=week&from=$from90&to=$to"
latency breakdown-class-30d "/v1/analytics/breakdown?by=decline_class&from=$from30&to=$to"
latency export-csv-30d "/v1/analytics/export.csv?from=$from30&to=$to"
