#!/usr/bin/env bash
# bench-backfill.sh N: backfill N Repsly clients into an empty HighLevel
# location with two real processes on this machine: `fieldbridge sandbox`
# serving both API imitations, and `fieldbridge sync run` doing the work.
# Prints the fieldbridge process's wall time, records/s and peak RSS, then
# runs the backfill again with nothing changed.
set -euo pipefail
N=${1:-10000}
# FIELDBRIDGE_CPUPROFILE=FILE profiles the first `sync run` (and nothing else).
profile=${FIELDBRIDGE_CPUPROFILE:-}
unset FIELDBRIDGE_CPUPROFILE
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/fieldbridge" ./cmd/fieldbridge
"$work/fieldbridge" sandbox --ghl-listen 127.0.0.1:0 --repsly-listen 127.0.0.1:0 --seed-clients "$N" > "$work/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 600); do grep -q "Repsly sandbox" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
ghl=$(awk '/HighLevel sandbox:/ {print $3}' "$work/sandbox.out")
repsly=$(awk '/Repsly sandbox:/ {print $3}' "$work/sandbox.out")
export FIELDBRIDGE_DB="sqlite:$work/fb.db" FIELDBRIDGE_MASTER_KEY=$(head -c 32 /dev/urandom | base64) FIELDBRIDGE_GHL_RATE_LIMIT=off
fb="$work/fieldbridge"
$fb connections add ghl --name ghl --base-url "$ghl" --location fbSandboxLocation01 --token pit-fieldbridge-sandbox-token >/dev/null
$fb connections add repsly --name repsly --base-url "$repsly" --username 7F0BA803-ACFB-4D6C-B7FD-6E0987855D40 --password 0C6F1A2E-5B3D-4E8F-9A71-2D4C6B8E0F13 >/dev/null
$fb flows create --template repsly-ghl-two-way-sync --name two-way --set repsly_connection=repsly --set ghl_connection=ghl --apply >/dev/null
run() {
  FIELDBRIDGE_CPUPROFILE=$profile /usr/bin/time -f "%e %M" -o "$work/time" $fb sync run two-way --json > "$work/run.json"
  read -r secs kb < "$work/time"
  echo "$1: $N clients in ${secs}s = $(awk -v n="$N" -v s="$secs" 'BEGIN{printf "%.0f", n/s}') records/s, peak RSS $((kb / 1024)) MiB"
}
run "first backfill"
/usr/bin/time -f "%e %M" -o "$work/time" $fb sync run two-way --backfill --json > "$work/run2.json" || { cat "$work/run2.json"; exit 1; }
read -r secs kb < "$work/time"
writes=$({ grep -o '"ghl.\(create\|update\|deactivate\|correct\)": [0-9]*' "$work/run2.json" || true; } | awk '{s+=$2} END{print s+0}')
echo "second run, nothing changed: ${secs}s, ${writes} HighLevel writes, peak RSS $((kb / 1024)) MiB"
