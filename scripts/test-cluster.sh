#!/usr/bin/env bash
# `npm run test:cluster`: a real one-node Slurm (Debian's slurmctld, slurmd, munge; installed when
# missing, as root) under a private SLURM_CONF in a temporary directory, then the node:test suite in
# test-cluster/ against it (deploy/slurm/submit.sh, scancel, resubmission with --resume, merge).
# Everything it starts (munged, slurmctld, slurmd, their jobs) is stopped on exit, also on failure.
# Needs root: the daemons run as root so the jobs can run as the caller (root) too.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "[test-cluster] $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (apt-get, and slurmd runs the jobs as their owner); found uid $(id -u)"
need=()
for p in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || fail "apt-get install ${need[*]}"
fi
for c in slurmctld slurmd munged mungekey sbatch squeue scancel scontrol sinfo; do
  command -v "$c" >/dev/null || fail "$c: not on PATH after installing Slurm and munge"
done

tmp=$(mktemp -d /tmp/stagger-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
# processes holding files in $tmp other than our daemons and their children (slurmctld's
# slurmscriptd): our jobs' slurmstepd and their tasks
job_pids() {
  local p ppid
  { find /proc/[0-9]*/fd -lname "$tmp/*" 2>/dev/null || true; } | cut -d/ -f3 | sort -u | while read -r p; do
    ppid=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null) || continue
    [[ " ${pids[*]} $$ " == *" $p "* || " ${pids[*]} " == *" $ppid "* ]] || echo "$p"
  done
}
stop() {
  local rc=$?
  if [ -f "$tmp/slurm.conf" ] && [ ${#pids[@]} -gt 1 ]; then
    # cancel our jobs first: a job's slurmstepd outlives the slurmd that started it
    SLURM_CONF=$tmp/slurm.conf scancel --user=root --quiet 2>/dev/null || true
    for _ in $(seq 50); do
      [ -z "$(SLURM_CONF=$tmp/slurm.conf squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
    # each job's slurmstepd (started by our slurmd) keeps files of $tmp open until it has exited
    for _ in $(seq 100); do
      [ -z "$(job_pids)" ] && break
      sleep 0.2
    done
  fi
  # stop the daemons this script started, newest first, by their process ids
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  done
  left=$(job_pids | tr '\n' ' ')
  if [ -n "$left" ]; then
    say "processes of our jobs still running after the daemons stopped: $left; killing them"
    kill -9 $left 2>/dev/null || true
    [ "$rc" != 0 ] || rc=1
  fi
  if [ "$rc" != 0 ]; then
    say "daemon logs (kept in $tmp):"
    tail -n 20 "$tmp"/*.log >&2 2>/dev/null || true
  elif [ -z "${STAGGER_CLUSTER_KEEP:-}" ]; then
    rm -rf "$tmp"
  else
    say "kept $tmp (STAGGER_CLUSTER_KEEP)"
  fi
  exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT TERM

# munge: a fresh key and socket of our own, so the system's munge (if any) is neither used nor touched
# (the key's directory private, the socket's open to all, as munged checks)
mkdir -m 700 "$tmp/munge-key"
mkdir -m 755 "$tmp/munge"
mungekey --create --keyfile="$tmp/munge-key/munge.key" >/dev/null
munged -F --force --key-file="$tmp/munge-key/munge.key" --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge-key/munged.seed" \
  >"$tmp/munged.stdout" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$tmp/munge/munge.socket" ] || fail "munged did not open its socket"

# two free TCP ports for slurmctld and slurmd
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
  fail "no free TCP port"
}
ctld_port=$(free_port)
slurmd_port=$(free_port)
[ "$ctld_port" != "$slurmd_port" ] || slurmd_port=$((ctld_port + 1))

# the node as slurmd sees it (CPUs, sockets, cores, threads, memory), without its UpTime
node=$(hostname -s)
node_line=$(slurmd -C | head -n 1 | sed 's/ UpTime=.*//')
[[ $node_line == NodeName=* ]] || fail "slurmd -C printed '$node_line'"
cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node_line")
mkdir -p "$tmp/state" "$tmp/spool"
: >"$tmp/plugstack.conf"
# proctrack/linuxproc: the tracker that finds a job's processes through their parents in /proc, the one
# npx defeated; proctrack/cgroup would need a writable cgroup hierarchy, which a container rarely gives.
cat >"$tmp/slurm.conf" <<EOF
ClusterName=stagger-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=5
MinJobAge=600
InactiveLimit=0
SchedulerParameters=sched_interval=1
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=stagger Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf
say "one-node Slurm $(sbatch --version | cut -d' ' -f2) on $node ($cpus CPUs), proctrack/linuxproc, in $tmp"

slurmctld -D -i >"$tmp/slurmctld.stdout" 2>&1 &
pids+=($!)
slurmd -D -N "$node" >"$tmp/slurmd.stdout" 2>&1 &
pids+=($!)
for _ in $(seq 150); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "a daemon exited while starting (pid $p)"; done
  sleep 0.2
done
[ "$state" = idle ] || fail "node $node is '$state', not idle, after 30 s"

export STAGGER_CLUSTER_TMP=$tmp STAGGER_CLUSTER_CPUS=$cpus
node --test --test-reporter=spec dist/test-cluster/
