#!/usr/bin/env bash
# Start/stop a loopback nats-server or redis-server for relay tests and benchmarks.
#   scripts/services/service.sh start nats 14222
#   scripts/services/service.sh stop  nats 14222
#   scripts/services/service.sh start redis 16379
# Installs the Debian package (nats-server / redis-server) with apt-get if the binary is missing.
# State (pid files, logs) lives in ${SEMFACE_SERVICES_DIR:-/tmp/semface-services}.
set -euo pipefail

action=${1:?usage: service.sh start|stop|status nats|redis PORT}
kind=${2:?usage: service.sh start|stop|status nats|redis PORT}
port=${3:?usage: service.sh start|stop|status nats|redis PORT}
dir=${SEMFACE_SERVICES_DIR:-/tmp/semface-services}
mkdir -p "$dir"
pidfile="$dir/$kind-$port.pid"
logfile="$dir/$kind-$port.log"

case "$kind" in
  nats) bin=nats-server; pkg=nats-server ;;
  redis) bin=redis-server; pkg=redis-server ;;
  *) echo "unknown service '$kind' (nats|redis)" >&2; exit 2 ;;
esac
if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ]; then
  if [ "$action" = start ]; then
    echo "$bin missing; installing $pkg with apt-get" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y --no-install-recommends "$pkg" >&2
  fi
fi
binpath=$(command -v "$bin" 2>/dev/null || echo "/usr/sbin/$bin")

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "$kind did not open 127.0.0.1:$port (log: $logfile)" >&2
  return 1
}

case "$action" in
  start)
    if running; then echo "$kind already running on $port"; exit 0; fi
    if [ "$kind" = nats ]; then
      nohup "$binpath" -a 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
      echo $! >"$pidfile"
    else
      nohup "$binpath" --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --protected-mode yes >"$logfile" 2>&1 &
      echo $! >"$pidfile"
    fi
    wait_port
    echo "$kind started on 127.0.0.1:$port (pid $(cat "$pidfile"))"
    ;;
  stop)
    if running; then
      pid=$(cat "$pidfile")
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "$kind on $port stopped"
    fi
    rm -f "$pidfile"
    ;;
  status)
    if running; then echo "running"; else echo "stopped"; exit 1; fi
    ;;
  *) echo "unknown action '$action'" >&2; exit 2 ;;
esac
