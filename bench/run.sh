#!/usr/bin/env bash
# `npm run bench`: raise the open-files limit as far as allowed (one descriptor per reader), build
# the server, then run the suite with the orchestrator pinned to the generator CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
npm run build >/dev/null
GEN_CPUS="${BENCH_GENERATOR_CPUS:-1}"
for arg in "$@"; do
  case "$arg" in --generator-cpus=*) GEN_CPUS="${arg#*=}" ;; esac
done
if command -v taskset >/dev/null && taskset -c "$GEN_CPUS" true 2>/dev/null; then
  exec taskset -c "$GEN_CPUS" node --import tsx bench/run.ts "$@"
fi
echo "bench: taskset unavailable or CPU list $GEN_CPUS invalid; running unpinned" >&2
exec node --import tsx bench/run.ts "$@"
