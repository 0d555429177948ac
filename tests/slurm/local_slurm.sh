#!/usr/bin/env bash
# A private single-node SLURM for tests: munged, slurmctld and slurmd with
# every file (key, socket, config, state, pid files, logs) under STATE_DIR,
# on TCP ports no other run uses, so it clashes neither with a system SLURM
# or munged nor with a second test run beside it.
#
#   tests/slurm/local_slurm.sh start STATE_DIR [OWNER_PID]
#       Configures and starts the daemons, waits (at most ~30 s) until the
#       node is idle and prints the one line a client needs on stdout:
#       SLURM_CONF=STATE_DIR/slurm.conf. With OWNER_PID, a watchdog stops
#       the daemons once that process is gone (a test binary that was killed).
#       Starting again over the same STATE_DIR first stops what the previous
#       start left there, running or stale.
#   tests/slurm/local_slurm.sh stop STATE_DIR
#       Stops exactly the daemons started over STATE_DIR (by their pid files)
#       and waits for them to go.
#
# Needs root and the Debian packages slurmctld, slurmd, slurm-client, munge.
# On failure: exit status 1 and one line on stderr saying why.
set -uo pipefail

usage() {
  echo "usage: $0 start STATE_DIR [OWNER_PID] | stop STATE_DIR" >&2
  exit 2
}

# Says why on stderr, stops whatever this start already started, exits 1.
STARTING=""
fail() {
  echo "local_slurm: $*" >&2
  [ -n "$STARTING" ] && stop_all
  exit 1
}

# The last non-empty line of a log file, for error messages.
last_log_line() {
  [ -s "$1" ] && grep -v '^[[:space:]]*$' "$1" | tail -n 1
}

# True when pid is a live (not zombie) process whose command line mentions
# STATE_DIR: a pid file never makes us kill a process we did not start.
is_ours() {
  local pid=$1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  local state
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) "
  [[ "$cmdline" == *"$STATE_DIR/"* || "$cmdline" == *"$STATE_DIR "* ]]
}

# Stops the process named by a pid file: SIGTERM, up to 10 s, then SIGKILL.
stop_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(head -c 32 "$file" 2>/dev/null | tr -dc '0-9')
  if is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do
      is_ours "$pid" || break
      sleep 0.1
    done
    if is_ours "$pid"; then
      kill -KILL "$pid" 2>/dev/null
      for _ in $(seq 1 20); do
        is_ours "$pid" || break
        sleep 0.1
      done
    fi
  fi
  rm -f "$file"
}

stop_all() {
  # The watchdog first, unless we are the watchdog.
  local watchdog
  watchdog=$(cat "$STATE_DIR/watchdog.pid" 2>/dev/null | tr -dc '0-9')
  if [ -n "$watchdog" ] && [ "$watchdog" != "$$" ] && [ "$watchdog" != "${LOCAL_SLURM_WATCHDOG:-}" ]; then
    stop_pidfile "$STATE_DIR/watchdog.pid"
  fi
  rm -f "$STATE_DIR/watchdog.pid"
  stop_pidfile "$STATE_DIR/slurmd.pid"
  stop_pidfile "$STATE_DIR/slurmctld.pid"
  stop_pidfile "$STATE_DIR/munge/munged.pid"
}

# A TCP port in 20000-31999 (below Linux's ephemeral range) that no socket
# on this machine is bound to; callers hold the start lock, so two runs do not
# pick the same one.
free_port() {
  local hex port
  local -A used=()
  for hex in $(awk 'FNR > 1 { n = split($2, a, ":"); print a[n] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    used[$((16#$hex))]=1
  done
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    [ "$port" = "${1:-}" ] && continue
    [ -z "${used[$port]:-}" ] && { echo "$port"; return 0; }
  done
  return 1
}

start() {
  [ "$(id -u)" -eq 0 ] || fail "needs root (daemons run as SlurmUser=root), running as $(id -un)"
  export PATH="$PATH:/usr/sbin:/sbin"
  local tool
  for tool in munged mungekey munge unmunge slurmctld slurmd sinfo srun sbatch flock setsid; do
    command -v "$tool" >/dev/null 2>&1 ||
      fail "$tool not found: install the Debian packages slurmctld slurmd slurm-client munge (tools/install-deps.sh)"
  done

  mkdir -p "$STATE_DIR" || fail "cannot create $STATE_DIR"
  stop_all  # a previous start over the same folder, running or killed
  STARTING=1
  rm -rf "$STATE_DIR/munge" "$STATE_DIR/state" "$STATE_DIR/spool" "$STATE_DIR/log" "$STATE_DIR/slurm.conf"
  mkdir -p "$STATE_DIR/munge" "$STATE_DIR/state" "$STATE_DIR/spool" "$STATE_DIR/log" || fail "cannot write $STATE_DIR"
  # munged insists every folder above its socket be searchable by everyone.
  chmod a+x "$STATE_DIR" && chmod 755 "$STATE_DIR/munge" || fail "cannot chmod $STATE_DIR"

  # munge, with its own key and socket: a system munged is neither needed nor
  # disturbed. (Slurm reaches it through AuthInfo=socket=...)
  local m="$STATE_DIR/munge"
  if [ ! -s "$m/munge.key" ]; then
    mungekey -c -k "$m/munge.key" >"$STATE_DIR/log/mungekey.out" 2>&1 ||
      fail "mungekey -c failed: $(last_log_line "$STATE_DIR/log/mungekey.out")"
  fi
  chmod 600 "$m/munge.key"
  munged --socket="$m/munge.socket" --key-file="$m/munge.key" --log-file="$m/munged.log" \
    --pid-file="$m/munged.pid" --seed-file="$m/munged.seed" </dev/null >"$STATE_DIR/log/munged.out" 2>&1 ||
    fail "munged did not start: $(last_log_line "$STATE_DIR/log/munged.out" || last_log_line "$m/munged.log")"
  munge -S "$m/munge.socket" -n 2>/dev/null | unmunge -S "$m/munge.socket" >/dev/null 2>&1 ||
    fail "munge -n | unmunge failed: $(last_log_line "$m/munged.log")"

  # Ports and daemon start under one machine-wide lock: two concurrent runs
  # then never choose the same free port.
  exec 9>/tmp/jsqa-local-slurm.lock || fail "cannot open /tmp/jsqa-local-slurm.lock"
  flock -w 60 9 || fail "timed out waiting for /tmp/jsqa-local-slurm.lock"

  local host cpus ctld_port slurmd_port conf="$STATE_DIR/slurm.conf"
  host=$(hostname -s 2>/dev/null || hostname)
  # At least 2, so that srun -n 2 runs on a one-CPU machine too (task/none
  # binds nothing; config_overrides keeps the node from draining).
  cpus=$(nproc)
  [ "$cpus" -ge 2 ] || cpus=2
  ctld_port=$(free_port) || fail "no free TCP port"
  slurmd_port=$(free_port "$ctld_port") || fail "no free TCP port"
  cat >"$conf" <<EOF
# Written by tests/slurm/local_slurm.sh; everything lives under $STATE_DIR.
ClusterName=jsqatest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$m/munge.socket
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/slurmctld.pid
SlurmdPidFile=$STATE_DIR/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
SlurmdParameters=config_overrides
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# Quick turnaround for tiny test jobs: batch jobs scheduled at once, and
# sbatch --wait polls every 2 s only while MinJobAge < 6 (else 2 s, then 8 s).
SchedulerParameters=batch_sched_delay=0
MinJobAge=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=4000 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$conf"

  # (9>&-: the daemons must not hold the lock.)
  slurmctld -f "$conf" -c </dev/null >"$STATE_DIR/log/slurmctld.out" 2>&1 9>&- ||
    fail "slurmctld did not start: $(last_log_line "$STATE_DIR/log/slurmctld.log" || last_log_line "$STATE_DIR/log/slurmctld.out")"
  slurmd -f "$conf" -c -N "$host" </dev/null >"$STATE_DIR/log/slurmd.out" 2>&1 9>&- ||
    fail "slurmd did not start: $(last_log_line "$STATE_DIR/log/slurmd.log" || last_log_line "$STATE_DIR/log/slurmd.out")"

  local state="" deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    state=$(sinfo -h -N -n "$host" -o %t 2>/dev/null)
    [ "$state" = idle ] && break
    local daemon
    for daemon in slurmctld slurmd; do
      if ! is_ours "$(cat "$STATE_DIR/$daemon.pid" 2>/dev/null)"; then
        sleep 0.2  # the pid file may still be on its way
        is_ours "$(cat "$STATE_DIR/$daemon.pid" 2>/dev/null)" || {
          local reason
          reason=$(last_log_line "$STATE_DIR/log/$daemon.log" || last_log_line "$STATE_DIR/log/$daemon.out")
          fail "$daemon exited: ${reason:-no log}"
        }
      fi
    done
    sleep 0.2
  done
  flock -u 9
  exec 9>&-
  if [ "$state" != idle ]; then
    local reason
    reason=$(last_log_line "$STATE_DIR/log/slurmctld.log")
    fail "node not idle after 30 s (state '${state:-none}'); slurmctld: ${reason:-no log}"
  fi

  if [ -n "$OWNER_PID" ]; then
    # Closes every inherited descriptor (a caller's pipe must see EOF), then
    # polls the owner.
    setsid bash -c '
      for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
      while kill -0 "$3" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
      [ -d "$2" ] && LOCAL_SLURM_WATCHDOG=$$ bash "$1" stop "$2"
    ' local-slurm-watchdog "$SELF" "$STATE_DIR" "$OWNER_PID" </dev/null >/dev/null 2>&1 &
    echo $! >"$STATE_DIR/watchdog.pid"
  fi
  STARTING=""
  echo "SLURM_CONF=$conf"
}

SELF=$(readlink -f "$0")
[ $# -ge 2 ] || usage
STATE_DIR=$(readlink -m "$2")
OWNER_PID=${3:-}
case "$1" in
  start) start ;;
  stop) stop_all ;;
  *) usage ;;
esac
