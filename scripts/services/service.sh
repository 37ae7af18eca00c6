#!/usr/bin/env bash
# Start/stop a loopback nats-server or redis-server for relay tests and benchmarks.
#   scripts/services/service.sh start nats 14222
#   scripts/services/service.sh stop  nats 14222
#   scripts/services/service.sh start redis 16379
# With authentication (start only; written to a 0600 config file, never on the command line):
#   service.sh start nats 14222 --user U --pass P      NATS user/password
#   service.sh start nats 14222 --token T              NATS token
#   service.sh start nats 14222 --nkey UPUBLICKEY      NATS nkey user (client signs with its seed)
#   service.sh start redis 16379 --user U --pass P     Redis ACL user (the default user is disabled)
#   service.sh start redis 16379 --pass P              Redis requirepass
# Installs the Debian package (nats-server / redis-server) with apt-get if the binary is missing.
# State (pid files, logs) lives in ${SEMFACE_SERVICES_DIR:-/tmp/semface-services}.
set -euo pipefail

action=${1:?usage: service.sh start|stop|status nats|redis PORT}
kind=${2:?usage: service.sh start|stop|status nats|redis PORT}
port=${3:?usage: service.sh start|stop|status nats|redis PORT}
shift 3
auth_user="" auth_pass="" auth_token="" auth_nkey=""
while [ $# -gt 0 ]; do
  case "$1" in
    --user) auth_user=${2:?--user needs a value}; shift 2 ;;
    --pass) auth_pass=${2:?--pass needs a value}; shift 2 ;;
    --token) auth_token=${2:?--token needs a value}; shift 2 ;;
    --nkey) auth_nkey=${2:?--nkey needs a value}; shift 2 ;;
    *) echo "unknown option '$1'" >&2; exit 2 ;;
  esac
done
dir=${SEMFACE_SERVICES_DIR:-/tmp/semface-services}
mkdir -p "$dir"
pidfile="$dir/$kind-$port.pid"
logfile="$dir/$kind-$port.log"
conffile="$dir/$kind-$port.conf"

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

# Quotes a value for a NATS config string.
natsq() { local v=${1//\\/\\\\}; printf '"%s"' "${v//\"/\\\"}"; }

# Writes the auth config file for the requested method and sets conf to its path (empty without auth).
write_auth_conf() {
  [ -z "$auth_user$auth_pass$auth_token$auth_nkey" ] && return 0
  rm -f "$conffile"
  (umask 077; : >"$conffile")
  if [ "$kind" = nats ]; then
    if [ -n "$auth_nkey" ]; then
      printf 'authorization {\n  users = [ { nkey: %s } ]\n}\n' "$(natsq "$auth_nkey")" >"$conffile"
    elif [ -n "$auth_token" ]; then
      printf 'authorization {\n  token: %s\n}\n' "$(natsq "$auth_token")" >"$conffile"
    else
      [ -n "$auth_user" ] && [ -n "$auth_pass" ] || { echo "nats auth needs --user and --pass" >&2; exit 2; }
      printf 'authorization {\n  user: %s\n  password: %s\n}\n' \
        "$(natsq "$auth_user")" "$(natsq "$auth_pass")" >"$conffile"
    fi
  else
    [ -z "$auth_token$auth_nkey" ] || { echo "redis takes --user/--pass or --pass only" >&2; exit 2; }
    [ -n "$auth_pass" ] || { echo "redis auth needs --pass" >&2; exit 2; }
    case "$auth_pass$auth_user" in *[[:space:]]*) echo "redis credentials may not contain spaces" >&2; exit 2 ;; esac
    if [ -n "$auth_user" ]; then
      printf 'user default off\nuser %s on >%s ~* &* +@all\n' "$auth_user" "$auth_pass" >"$conffile"
    else
      printf 'requirepass %s\n' "$auth_pass" >"$conffile"
    fi
  fi
  conf=$conffile
}

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
    conf=""
    write_auth_conf
    if [ "$kind" = nats ]; then
      nohup "$binpath" ${conf:+-c "$conf"} -a 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
      echo $! >"$pidfile"
    else
      # A config file must come first on redis-server's command line.
      nohup "$binpath" ${conf:+"$conf"} --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
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
    rm -f "$pidfile" "$conffile"
    ;;
  status)
    if running; then echo "running"; else echo "stopped"; exit 1; fi
    ;;
  *) echo "unknown action '$action'" >&2; exit 2 ;;
esac
