#!/usr/bin/env bash
# .ci/teardown-env.sh: stop what .ci/setup-env.sh started (the registry, then dockerd), by the
# pids it recorded. Data stays: certificates, htpasswd, registry storage, images, the Swarm
# state in /var/lib/docker. .ci/setup-env.sh brings everything back.
#
# Usage: .ci/teardown-env.sh              stop the registry, the test sshd and dockerd
#        .ci/teardown-env.sh --registry   stop only the registry
set -euo pipefail

readonly CI_HOME=/var/lib/deployer-ci
only_registry=
case ${1:-} in
  "") ;;
  --registry) only_registry=1 ;;
  *) echo "usage: $0 [--registry]" >&2; exit 2 ;;
esac

# stop NAME PIDFILE SECONDS: SIGTERM the pid if it still is NAME, wait, then SIGKILL.
stop() {
  local name=$1 pidfile=$2 seconds=$3 pid i
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
    echo "$name: not running"; rm -f "$pidfile"; return 0
  fi
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name"; then
    echo "$name: pid $pid from $pidfile is another process now; leaving it alone"; rm -f "$pidfile"; return 0
  fi
  kill -TERM "$pid"
  for ((i = 0; i < seconds * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { echo "$name: stopped (pid $pid)"; rm -f "$pidfile"; return 0; }
    sleep 0.1
  done
  echo "$name: still running after ${seconds}s, killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

stop docker-registry "$CI_HOME/registry.pid" 10
[[ -n $only_registry ]] && exit 0
stop sshd "$CI_HOME/ssh/sshd.pid" 10
# dockerd stops its containers (10 s grace each, in parallel) and its containerd.
pidfile=$CI_HOME/dockerd.pid
[[ -s $pidfile ]] || pidfile=/var/run/docker.pid   # a dockerd started by hand the same way
stop dockerd "$pidfile" 60
