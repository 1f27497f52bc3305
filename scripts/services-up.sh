#!/usr/bin/env bash
# Installs (from Debian's packages) and starts what Hetao's tests need: PostgreSQL 15 and two local Slurm
# clusters, `sz` (8 fake GPUs) and `hk` (4 fake GPUs), each with slurmrestd (JWT). Idempotent; run as root.
# Prints the connection settings the tests read (they default to exactly these values).
#   scripts/services-up.sh            everything
#   scripts/services-up.sh postgres   PostgreSQL only
#   scripts/services-up.sh slurm      Slurm only
#   scripts/services-up.sh browser    Chromium (dashboard tests) only
set -euo pipefail
WHAT=${1:-all}
SLURM_ROOT=${HETAO_SLURM_ROOT:-/tmp/hetao-slurm}
PG_USER=hetao PG_PASS=hetao PG_DB=hetao_test
export DEBIAN_FRONTEND=noninteractive

[ "$(id -u)" = 0 ] || { echo "services-up.sh: run as root (it installs packages and starts daemons)" >&2; exit 1; }

want() { [ "$WHAT" = all ] || [ "$WHAT" = "$1" ]; }
pkgs=()
want postgres && pkgs+=(postgresql postgresql-contrib)
want slurm && pkgs+=(slurmctld slurmd slurm-client munge slurmrestd slurm-wlm-jwt-plugin curl)
want browser && pkgs+=(chromium fonts-noto-cjk)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "services-up: installing ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

wait_for() { for _ in $(seq 400); do "$@" >/dev/null 2>&1 && return 0; sleep .05; done; echo "timeout: $*" >&2; return 1; }
# PID 1 here reaps orphans late, so `kill -0` succeeds on a zombie: read the state instead.
alive() { [ -f "$1" ] && awk '/^State:/{exit $2=="Z"}' /proc/"$(cat "$1")"/status 2>/dev/null; }

postgres_up() {
  local ver
  ver=$(pg_lsclusters -h | awk '$1==15{print $1; exit}')
  [ -n "$ver" ] || pg_createcluster 15 main >/dev/null
  pg_lsclusters -h 15 main | grep -q online || pg_ctlcluster --skip-systemctl-redirect 15 main start
  wait_for runuser -u postgres -- psql -qAtc 'SELECT 1'
  q() { runuser -u postgres -- psql -qAtc "$1"; }
  [ "$(q "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" = 1 ] ||
    q "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASS' CREATEDB"
  [ "$(q "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" = 1 ] || q "CREATE DATABASE $PG_DB OWNER $PG_USER"
}

slurm_up() {
  install -d -o munge -g munge /run/munge
  [ -s /etc/munge/munge.key ] || { mungekey -c; chown munge: /etc/munge/munge.key; }
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || { runuser -u munge -- munged; wait_for bash -c 'munge -n | unmunge'; }
  local mem i=0 C B cport dport rport gpus g
  mem=$(($(awk '/MemTotal/{print int($2/1024)}' /proc/meminfo) - 512))
  for C in sz hk; do
    B=$SLURM_ROOT/$C
    cport=$((6817 + 10 * i)) dport=$((6818 + 10 * i)) rport=$((6820 + 10 * i))
    gpus=$((i ? 4 : 8))
    i=$((i + 1))
    mkdir -p "$B/etc" "$B/state" "$B/log" "$B/run" "$B/dev" "$B/spool/$C-n1"
    install -d -m 1777 "$B/jobs"
    for g in $(seq 0 $((gpus - 1))); do [ -c "$B/dev/gpu$g" ] || mknod "$B/dev/gpu$g" c 1 3; done
    [ -s "$B/etc/jwt.key" ] || { head -c 32 /dev/urandom >"$B/etc/jwt.key"; chmod 600 "$B/etc/jwt.key"; }
    cat >"$B/etc/slurm.conf" <<CONF
ClusterName=$C
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$B/etc/jwt.key
StateSaveLocation=$B/state
SlurmdSpoolDir=$B/spool/%n
SlurmctldPidFile=$B/run/slurmctld.pid
SlurmdPidFile=$B/run/slurmd-%n.pid
SlurmctldLogFile=$B/log/slurmctld.log
SlurmdLogFile=$B/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$B/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=100
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=300
KillWait=2
GresTypes=gpu
NodeName=$C-n1 NodeAddr=127.0.0.1 NodeHostname=localhost Port=$dport CPUs=16 Sockets=1 CoresPerSocket=16 ThreadsPerCore=1 RealMemory=$mem Gres=gpu:$gpus
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    printf 'AutoDetect=off\nNodeName=%s-n1 Name=gpu File=%s/dev/gpu[0-%d]\n' "$C" "$B" $((gpus - 1)) >"$B/etc/gres.conf"
    export SLURM_CONF=$B/etc/slurm.conf
    alive "$B/run/slurmctld.pid" || slurmctld
    wait_for scontrol ping
    alive "$B/run/slurmd-$C-n1.pid" || slurmd -N "$C-n1"
    if ! alive "$B/run/rest.pid"; then
      SLURM_JWT=daemon nohup setpriv --reuid=slurm --regid=slurm --clear-groups \
        slurmrestd -a rest_auth/jwt -s openapi/v0.0.38 "127.0.0.1:$rport" >"$B/log/rest.log" 2>&1 </dev/null &
      echo $! >"$B/run/rest.pid"
    fi
    wait_for bash -c "sinfo -hNo %T | grep -qE '^(idle|mixed|alloc)'"
    wait_for curl -s "127.0.0.1:$rport"
  done
  unset SLURM_CONF
}

want postgres && postgres_up
want slurm && slurm_up

cat <<SETTINGS
# Hetao test services (the tests default to these values; export to override)
HETAO_TEST_DATABASE_URL=postgres://$PG_USER:$PG_PASS@127.0.0.1:5432/$PG_DB
HETAO_SLURM_ROOT=$SLURM_ROOT
HETAO_SLURM_SZ_CONF=$SLURM_ROOT/sz/etc/slurm.conf
HETAO_SLURM_HK_CONF=$SLURM_ROOT/hk/etc/slurm.conf
HETAO_SLURM_SZ_REST=http://127.0.0.1:6820
HETAO_SLURM_HK_REST=http://127.0.0.1:6830
SETTINGS
