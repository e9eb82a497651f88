#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for tests and for trying `cdnet submit`
# without a cluster. Everything lives under one private directory; nothing in /etc is touched
# and no systemd is needed (works in containers).
#
#   packaging/slurm-local.sh start    start munged, slurmctld and slurmd; wait until the node is idle
#   packaging/slurm-local.sh stop     cancel jobs, stop the daemons, wait until they are gone
#   packaging/slurm-local.sh status   say what runs (exit 0 when the cluster answers, 1 otherwise)
#   packaging/slurm-local.sh env      print `export ...` lines: eval "$(packaging/slurm-local.sh env)"
#
# Environment:
#   CDNET_SLURM_DIR         private state directory (default /tmp/cdnet-slurm)
#   CDNET_SLURM_PORT        slurmctld port; slurmd uses the next one (default 6817)
#   CDNET_SLURM_TIMEOUT     seconds to wait for the node to become idle or the daemons to stop (default 60)
#   CDNET_SLURM_CPUS        CPUs to offer (default: all of this machine)
# Needs root (slurmd runs jobs as their submitting user) and the Debian packages slurm-wlm and munge;
# when they are missing and we are root, they are installed with apt-get.
set -euo pipefail

dir=${CDNET_SLURM_DIR:-/tmp/cdnet-slurm}
port=${CDNET_SLURM_PORT:-6817}
timeout=${CDNET_SLURM_TIMEOUT:-60}
[[ "$port" =~ ^[1-9][0-9]*$ ]] && [ "$port" -lt 65535 ] || { echo "slurm-local: error: CDNET_SLURM_PORT must be a port number" >&2; exit 1; }
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || { echo "slurm-local: error: CDNET_SLURM_TIMEOUT must be a number of seconds" >&2; exit 1; }
cluster=cdnet-local
partition=local

say() { echo "slurm-local: $*" >&2; }
die() { say "error: $*"; exit 1; }

conf="$dir/slurm.conf"
sock="$dir/munge/munge.socket"
run="$dir/run"
logs="$dir/log"

print_env() {
  echo "export SLURM_CONF='$conf'"
  # libmunge clients (the munge and unmunge tools) take --socket; Slurm reads AuthInfo in slurm.conf.
  echo "export MUNGE_SOCKET='$sock'"
  echo "export CDNET_SLURM_DIR='$dir'"
}

# Runs slurm client commands against our cluster, with a time limit.
sl() { SLURM_CONF="$conf" timeout 10 "$@"; }

pid_alive() { # pid file
  [ -s "$1" ] || return 1
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

need_packages() {
  local missing=()
  command -v munged >/dev/null || missing+=(munge)
  for p in slurmctld slurmd sbatch; do command -v $p >/dev/null || { missing+=(slurm-wlm); break; }; done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts must not start the system-wide daemons (there is no systemd here anyway).
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } ||
    die "apt-get could not install ${missing[*]}"
}

port_in_use() { # port
  # /proc/net/tcp lists listening sockets (state 0A) with hex ports; no ss/netstat needed.
  local hex
  hex=$(printf '%04X' "$1")
  awk -v p=":$hex" '$4=="0A" && substr($2, length($2)-4)==p {f=1} END {exit !f}' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

write_config() {
  local node cpus mem node_line
  node=$(hostname -s)
  # slurmd -C reports what slurmd will detect; the node must not claim more or it is drained.
  node_line=$(slurmd -C 2>/dev/null | head -1) || true
  cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node_line")
  mem=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$node_line")
  [ -n "$cpus" ] || cpus=$(nproc)
  [ -n "$mem" ] || mem=$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)
  if [ -n "${CDNET_SLURM_CPUS:-}" ]; then
    [[ "$CDNET_SLURM_CPUS" =~ ^[1-9][0-9]*$ ]] || die "CDNET_SLURM_CPUS must be a positive number, not '$CDNET_SLURM_CPUS'"
    cpus=$CDNET_SLURM_CPUS
  fi
  mem=$((mem * 95 / 100)) # leave room for the daemons themselves
  local gres_types="" gres_node=""
  local ngpu=0
  if command -v nvidia-smi >/dev/null 2>&1; then
    ngpu=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
  fi
  if [ "$ngpu" -gt 0 ]; then
    gres_types="GresTypes=gpu"
    gres_node="Gres=gpu:$ngpu"
    : >"$dir/gres.conf"
    for ((i = 0; i < ngpu; i++)); do echo "NodeName=$node Name=gpu File=/dev/nvidia$i" >>"$dir/gres.conf"; done
  fi
  cat >"$conf.tmp" <<EOF
# Written by packaging/slurm-local.sh: a single-node cluster under $dir.
ClusterName=$cluster
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
$gres_types
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus RealMemory=$mem State=UNKNOWN $gres_node
PartitionName=$partition Nodes=$node Default=YES MaxTime=INFINITE State=UP DefMemPerCPU=$((mem / cpus))
EOF
  mv "$conf.tmp" "$conf"
  echo "$node" >"$dir/nodename"
}

start_munge() {
  if pid_alive "$dir/munge/munged.pid" && [ -S "$sock" ]; then return 0; fi
  mkdir -p "$dir/munge"
  chmod 0700 "$dir/munge"
  if [ ! -s "$dir/munge/munge.key" ]; then
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile="$dir/munge/munge.key" --force >/dev/null
    else
      dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    fi
  fi
  chmod 0600 "$dir/munge/munge.key"
  rm -f "$sock" "$sock.lock"
  # --force: munged refuses to run as root or with a socket outside /run without it.
  munged --force --key-file="$dir/munge/munge.key" --socket="$sock" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" 2>>"$dir/munge/munged.log" ||
    die "munged did not start; see $dir/munge/munged.log"
  local t=0
  until [ -S "$sock" ] && pid_alive "$dir/munge/munged.pid"; do
    sleep 0.2
    t=$((t + 1))
    [ $t -lt 50 ] || die "munged did not create its socket $sock within 10 s; see $dir/munge/munged.log"
  done
  if command -v munge >/dev/null; then
    munge --socket="$sock" -n | unmunge --socket="$sock" >/dev/null 2>&1 ||
      die "munge credentials do not round-trip through $sock; see $dir/munge/munged.log"
  fi
}

node_state() { sl sinfo -h -N -o '%T' 2>/dev/null | head -1; }

# Daemons this invocation started: stopped again when start fails half-way, so that the next
# start begins clean.
started=()
cleanup_failed_start() {
  local pf t
  for pf in "${started[@]}"; do
    # A daemon writes its pid file a moment after it forks.
    t=0
    while [ ! -s "$pf" ] && [ $t -lt 25 ]; do sleep 0.2; t=$((t + 1)); done
    if pid_alive "$pf"; then
      kill -TERM "$(cat "$pf")" 2>/dev/null || true
      wait_gone "$pf" 10 || kill -KILL "$(cat "$pf")" 2>/dev/null || true
    fi
    rm -f "$pf"
  done
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (slurmd runs jobs as their users); try: sudo $0 start"
  need_packages
  if pid_alive "$run/slurmctld.pid" && pid_alive "$run/slurmd.pid" && pid_alive "$dir/munge/munged.pid"; then
    case "$(node_state)" in
      idle* | mix* | alloc* | comp*) say "already running (node $(node_state)) under $dir"; return 0 ;;
    esac
  fi
  mkdir -p "$dir" "$dir/state" "$dir/spool" "$run" "$logs"
  chmod 0755 "$dir"
  local t0=$SECONDS
  if ! pid_alive "$run/slurmctld.pid"; then
    port_in_use "$port" && die "port $port is taken (another slurmctld?); set CDNET_SLURM_PORT to a free port"
  fi
  if ! pid_alive "$run/slurmd.pid"; then
    port_in_use $((port + 1)) && die "port $((port + 1)) is taken (another slurmd?); set CDNET_SLURM_PORT to a free port"
  fi
  trap 'cleanup_failed_start' EXIT
  if ! pid_alive "$dir/munge/munged.pid"; then
    start_munge
    started+=("$dir/munge/munged.pid")
  fi
  if ! pid_alive "$run/slurmctld.pid"; then
    write_config
    # -i: start even when the saved state does not match (for example after a crash).
    slurmctld -f "$conf" -i 2>>"$logs/slurmctld.log" || die "slurmctld did not start; see $logs/slurmctld.log"
    started+=("$run/slurmctld.pid")
  fi
  if ! pid_alive "$run/slurmd.pid"; then
    slurmd -f "$conf" -N "$(cat "$dir/nodename")" 2>>"$logs/slurmd.log" || die "slurmd did not start; see $logs/slurmd.log"
    started+=("$run/slurmd.pid")
  fi
  local state=""
  while :; do
    state=$(node_state || true)
    case "$state" in
      idle* | mix* | alloc* | comp*) break ;;
    esac
    pid_alive "$run/slurmctld.pid" || die "slurmctld exited; last lines of $logs/slurmctld.log:
$(tail -5 "$logs/slurmctld.log" 2>/dev/null)"
    pid_alive "$run/slurmd.pid" || die "slurmd exited; last lines of $logs/slurmd.log:
$(tail -5 "$logs/slurmd.log" 2>/dev/null)"
    if [ $((SECONDS - t0)) -ge "$timeout" ]; then
      die "node not idle after ${timeout} s (state '${state:-no answer}'); see $logs/slurmctld.log and $logs/slurmd.log"
    fi
    # A node that came back from a previous run may be down; ReturnToService=2 usually fixes that.
    case "$state" in down* | drain*) sl scontrol update NodeName="$(cat "$dir/nodename")" State=RESUME >/dev/null 2>&1 || true ;; esac
    sleep 0.2
  done
  trap - EXIT
  say "running under $dir: node $(cat "$dir/nodename") $state, partition $partition, started in $((SECONDS - t0)) s"
  say "use it with: eval \"\$($0 env)\""
}

wait_gone() { # pidfile seconds
  local pid t=0
  [ -s "$1" ] || return 0
  pid=$(cat "$1" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  while kill -0 "$pid" 2>/dev/null; do
    [ $t -lt $(($2 * 5)) ] || return 1
    sleep 0.2
    t=$((t + 1))
  done
  return 0
}

stop_pid() { # pidfile name
  local pid
  pid_alive "$1" || { rm -f "$1"; return 0; }
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$1" "$timeout"; then
    say "$2 (pid $pid) did not stop within ${timeout} s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$1" 5 || say "warning: $2 (pid $pid) still runs"
  fi
  rm -f "$1"
}

cmd_stop() {
  [ -d "$dir" ] || { say "not running (no $dir)"; return 0; }
  if pid_alive "$run/slurmctld.pid"; then
    # Cancel jobs first so that no slurmstepd outlives the cluster.
    local jobs
    jobs=$(sl squeue -h -o '%A' 2>/dev/null | tr '\n' ' ' || true)
    if [ -n "${jobs// /}" ]; then
      say "cancelling jobs: $jobs"
      # shellcheck disable=SC2086
      sl scancel $jobs >/dev/null 2>&1 || true
      local t=0
      while [ -n "$(sl squeue -h -t running,completing -o '%A' 2>/dev/null || true)" ] && [ $t -lt 40 ]; do
        sleep 0.5
        t=$((t + 1))
      done
    fi
  fi
  stop_pid "$run/slurmd.pid" slurmd
  stop_pid "$run/slurmctld.pid" slurmctld
  stop_pid "$dir/munge/munged.pid" munged
  rm -f "$sock" "$sock.lock"
  say "stopped (state kept in $dir)"
}

cmd_status() {
  local ok=0
  for d in munge/munged:munged run/slurmctld:slurmctld run/slurmd:slurmd; do
    if pid_alive "$dir/${d%%:*}.pid"; then
      echo "${d##*:}: running (pid $(cat "$dir/${d%%:*}.pid"))"
    else
      echo "${d##*:}: not running"
      ok=1
    fi
  done
  if [ $ok -eq 0 ]; then
    sl sinfo -N -l 2>/dev/null || ok=1
    sl squeue 2>/dev/null || true
  fi
  return $ok
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) print_env ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 start|stop|status|restart|env" >&2; exit 2 ;;
esac
