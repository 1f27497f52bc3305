#!/usr/bin/env bash
# Stops what services-up.sh started (SIGTERM, so slurmctld saves its state). For local use; CI never needs it.
SLURM_ROOT=${HETAO_SLURM_ROOT:-/tmp/hetao-slurm}
stop() {
  [ -f "$1" ] || return 0
  local p s
  p=$(cat "$1")
  kill "$p" 2>/dev/null || { rm -f "$1"; return 0; }
  for _ in $(seq 300); do
    s=$(awk '/^State:/{print $2}' /proc/"$p"/status 2>/dev/null)
    if [ -z "$s" ] || [ "$s" = Z ]; then rm -f "$1"; return 0; fi
    sleep .05
  done
  echo "still alive: $p" >&2
}
for B in "$SLURM_ROOT"/*/; do
  [ -d "$B" ] || continue
  stop "${B}run/rest.pid"
  for f in "${B}"run/slurmd-*.pid; do stop "$f"; done
  stop "${B}run/slurmctld.pid"
done
[ "${1:-}" = all ] && { stop /run/munge/munged.pid; pg_ctlcluster --skip-systemctl-redirect 15 main stop 2>/dev/null; }
exit 0
