#!/usr/bin/env bash
# Analytics benchmark on a scratch `tinko up` (embedded Postgres in a scratch directory, deleted at the end):
#   1. generate history: ATTEMPTS recovery attempts (default 10,000,000) over DAYS days (90) across TENANTS
#      tenants (100)
#   2. the first `tinko analytics` run: a full rebuild of every rollup
#   3. EVENTS new events (default 100,000), then an incremental `tinko analytics` run (and one with nothing new)
#   4. analytics endpoint latency through the real gateway (bench/Latency.java: one kept-alive connection, WARMUP
#      rounds over all the endpoints (1,000), then REQUESTS sequential calls per endpoint, exact percentiles), beside
#      a control endpoint (GET /v1/org, one primary-key read) that shows the machine's floor
# Usage: analytics-batch/bench/bench.sh
#   env: ATTEMPTS EVENTS REQUESTS WARMUP TENANTS DAYS PORT; SKIP_JOB=1 (with REUSE=1: endpoints only); SCRATCH=dir KEEP=1 keeps the data there;
#        REUSE=1 with a kept SCRATCH skips step 1 (and says so): the job and API phases on already generated data.
# Needs ~6 GB free disk at 10M attempts (generation ~25 min on 2 busy cores). The job's own timing is the "in N s" of
# its summary line; the wall time adds the JVM start.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tinko="$root/bin/tinko"
attempts="${ATTEMPTS:-10000000}"
events="${EVENTS:-100000}"
requests="${REQUESTS:-2000}"
tenants="${TENANTS:-100}"
days="${DAYS:-90}"
port="${PORT:-18790}"
scratch="${SCRATCH:-$(mktemp -d /tmp/tinko-analytics-bench.XXXXXX)}"
export TINKO_EMBEDDED_DATA_DIR="$scratch/data" TINKO_HTTP_PORT="$port" TINKO_LOGGING_LEVEL=WARN LATENCY_DIR="$scratch"
results="$scratch/results.txt"

cleanup() {
  if [ -n "${up_pid:-}" ]; then kill "$up_pid" 2>/dev/null && wait "$up_pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" != "1" ]; then rm -rf "$scratch"; else echo "bench: data kept in $scratch"; fi
}
trap cleanup EXIT

say() { echo "bench: $*" | tee -a "$results"; }
load() { awk '{print $1, $2, $3}' /proc/loadavg; }

: >"$results"
say "$(date -u '+%F %T') UTC; $(nproc) CPUs; load average $(load); commit $(git -C "$root" rev-parse --short HEAD)"
say "scratch $scratch; df: $(df -h "$scratch" | awk 'NR==2 {print $4}') free"
"$tinko" up >"$scratch/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 1 180); do
  curl -fs "localhost:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$up_pid" 2>/dev/null || { cat "$scratch/up.log"; exit 1; }
  sleep 1
done

if [ "${REUSE:-0}" = "1" ] && [ -s "$scratch/generate.log" ]; then
  say "REUSE=1: history generated before, as $scratch/generate.log says: $(grep 'attempts for' "$scratch/generate.log")"
  psql_url="$(sed -n 's/.*"pgUrl" *: *"\([^"]*\)".*/\1/p' "$scratch/data/runtime.json")"
  # a kept database already holds rollups: start again from none, so step 2 is a first build (needs psql)
  [ "${SKIP_JOB:-0}" = "1" ] || psql -q "$psql_url" -c "TRUNCATE analytics_facts, analytics_daily, analytics_day_totals, analytics_org_zones,
      analytics_job_state"
else
  say "generating $attempts attempts ($tenants tenants, $days days)"
  "$tinko" analytics generate --attempts "$attempts" --days "$days" --tenants "$tenants" --api-key \
    | tee "$scratch/generate.log"
  say "$(grep 'attempts for' "$scratch/generate.log")"
fi
key="$(grep -o 'tk_live_[A-Za-z0-9_-]*' "$scratch/generate.log" | tail -1)"

run_job() {
  local started ended code line
  started=$(date +%s.%N)
  set +e; "$tinko" analytics | tee -a "$scratch/analytics.log"; code=${PIPESTATUS[0]}; set -e
  ended=$(date +%s.%N)
  line="$(grep -E 'analytics: (done|nothing to do)' "$scratch/analytics.log" | tail -1 \
    | grep -oE 'in [0-9.]+ s' || true)"
  say "$(printf '%-34s exit %s, job %s, %.1f s wall (JVM start included); load average %s' "$1:" "$code" \
    "${line:-?}" "$(echo "$ended - $started" | bc)" "$(load)")"
}
if [ "${SKIP_JOB:-0}" = "1" ]; then
  say "SKIP_JOB=1: the rollups as the last run left them; endpoints only"
else
  run_job "full rebuild"
  "$tinko" analytics generate --events "$events" | tee -a "$scratch/generate.log"
  run_job "incremental after $events events"
  run_job "incremental with nothing new"
fi

to="$(date -u +%F)"; from30="$(date -u -d '29 days ago' +%F)"; from90="$(date -u -d '89 days ago' +%F)"
# one JVM, one kept-alive connection, sequential calls: the server's latency, not a process start per call
java "$root/analytics-batch/bench/Latency.java" "http://localhost:$port" "$key" "$requests" "${WARMUP:-1000}" \
  "control-org=/v1/org" \
  "summary-30d=/v1/analytics/summary?from=$from30&to=$to" \
  "summary-90d-usd=/v1/analytics/summary?from=$from90&to=$to&currency=USD" \
  "timeseries-day-30d=/v1/analytics/timeseries?metric=recovered_amount&interval=day&from=$from30&to=$to" \
  "timeseries-week-p50-90d=/v1/analytics/timeseries?metric=time_to_recover_p50&interval=week&from=$from90&to=$to" \
  "breakdown-class-30d=/v1/analytics/breakdown?by=decline_class&from=$from30&to=$to" \
  "breakdown-code-30d=/v1/analytics/breakdown?by=decline_code&from=$from30&to=$to" \
  "breakdown-psp-30d=/v1/analytics/breakdown?by=psp&from=$from30&to=$to" \
  "export-csv-30d=/v1/analytics/export.csv?from=$from30&to=$to" \
  | while read -r l; do say "$l"; done
echo "-----"; cat "$results"
