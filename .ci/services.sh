#!/usr/bin/env bash
# Starts each local service named in KATO_CI_SERVICES (space separated: postgres redis rabbitmq
# nats) unless it already answers, and fails loudly when one cannot be started.
set -euo pipefail

wait_for_port() {
  local name="$1" port="$2"
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "ci: $name is up on 127.0.0.1:$port"
      return 0
    fi
    sleep 1
  done
  echo "ci: $name did not come up on 127.0.0.1:$port" >&2
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for service in ${KATO_CI_SERVICES:-}; do
  case "$service" in
    postgres)
      port_open 5432 || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
      wait_for_port PostgreSQL 5432
      # storage tests log in over TCP as postgres to database test: trust auth, else password 'postgres'
      psql -w -h 127.0.0.1 -U postgres -d postgres -qtAc 'select 1' >/dev/null 2>&1 \
        || su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\""
      su postgres -c "psql -qtAc \"select 1 from pg_database where datname = 'test'\"" | grep -q 1 \
        || su postgres -c "createdb test" ;;
    redis)
      port_open 6379 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
      wait_for_port Redis 6379 ;;
    rabbitmq)
      port_open 5672 || rabbitmq-server -detached
      wait_for_port RabbitMQ 5672 ;;
    nats)
      port_open 4222 || start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
        -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
      wait_for_port NATS 4222 ;;
    *) echo "ci: unknown service $service" >&2; exit 1 ;;
  esac
done
