#!/usr/bin/env bash
# A real Spark standalone cluster (1 Master + N Workers, separate JVMs) on 127.0.0.1, started from the
# Maven-resolved jars (or $SPARK_HOME in a release), with RPC authentication. See docs/CLUSTER.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<'EOF'
Usage: submit/standalone.sh COMMAND [OPTIONS]

Commands:
  start           start a Master and N Workers on 127.0.0.1; prints the master URL (one line) on stdout
  stop            stop the cluster (TERM, then KILL after a grace period), including its executors
  status          print master URL, alive workers and PIDs; exit 0 if running, 3 if not
  executor-pids   print the PIDs of this cluster's executor JVMs (CoarseGrainedExecutorBackend), one a line
  worker-pid I    print the PID of worker I's JVM (1-based)
  restart-worker I
                  start worker I again after it died (for example kill -9), with the settings of 'start';
                  waits until it has registered with the master; refuses if worker I is running

Options:
  --dir DIR            state dir: home/ (fake SPARK_HOME), pids/, logs/, work/ (default: <repo>/.spark-standalone,
                       or $BLORA_SPARK_DIR)
  --workers N          start: number of workers (2)
  --cores C            start: cores per worker (1)
  --memory M           start: memory per worker (2g)
  --master-port P      start: master RPC port (7077)
  --webui-port P       start: master web UI port (8080); worker i gets P+i
  --timeout S          start, restart-worker: seconds to wait for the workers to register (60, or
                       $BLORA_STANDALONE_TIMEOUT)
  --grace S            stop: seconds between TERM and KILL (10)
EOF
}

# ---------------------------------------------------------------- helpers

# Master and Worker do little work: a small heap, the serial GC and C1 only make them boot faster on a
# busy 2-core machine. Executors do not inherit these (they get spark.executor.extraJavaOptions).
DAEMON_JVM_FLAGS=(-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)

# True if PID $1 is alive and its command line mentions $2 (guards against PID reuse).
proc_matches() {
  local pid="$1" needle="$2"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$needle"
}

# Our daemons all have "-cp $HOME_DIR/jars/*" on their command line.
our_proc() { proc_matches "$1" "$HOME_DIR/jars/"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# All descendants of the given PIDs (executors and drivers are children of the Worker JVMs). One `ps` call:
# the machine may be loaded, and a fork per /proc entry is slow there.
descendants() {
  (($#)) || return 0
  ps -e -o pid= -o ppid= | awk -v roots="$*" '
    { parent[$1] = $2 }
    END {
      n = split(roots, r, " "); for (i = 1; i <= n; i++) mark[r[i]] = 1
      do { changed = 0
           for (p in parent) if (!(p in mark) && (parent[p] in mark)) { mark[p] = 2; changed = 1; print p }
      } while (changed)
    }'
}

# TERM the PIDs, wait up to $1 seconds, then KILL what is left.
terminate() {
  local grace="$1"; shift
  local -a pids=() left=()
  local p i
  for p in "$@"; do if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then pids+=("$p"); fi; done
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < grace * 5; i++)); do
    left=()
    for p in "${pids[@]}"; do if kill -0 "$p" 2>/dev/null; then left+=("$p"); fi; done
    ((${#left[@]})) || return 0
    sleep 0.2
  done
  log "killing (no exit after ${grace}s TERM): ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
  for ((i = 0; i < 25; i++)); do
    left=()
    for p in "${pids[@]}"; do if kill -0 "$p" 2>/dev/null; then left+=("$p"); fi; done
    ((${#left[@]})) || return 0
    sleep 0.2
  done
}

recorded_pids() { # prints "name pid" for each pid file
  local f
  [[ -d "$PID_DIR" ]] || return 0
  for f in "$PID_DIR"/*.pid; do
    [[ -e "$f" ]] || continue
    printf '%s %s\n' "$(basename "$f" .pid)" "$(tr -dc '0-9' < "$f")"
  done
}

master_json() { curl -fsS --max-time 2 "http://127.0.0.1:$1/json/" 2>/dev/null; }
json_num() { grep -o "\"$1\" *: *[0-9]*" | head -n 1 | grep -o '[0-9]*$'; }
json_str() { grep -o "\"$1\" *: *\"[^\"]*\"" | head -n 1 | sed 's/.*: *"\(.*\)"/\1/'; }

# Launch a daemon detached from this shell's session; its PID is written by the child itself.
launch() {
  local name="$1"; shift
  local pidfile="$PID_DIR/$name.pid" logfile="$LOG_DIR/$name.out"
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $@ are the child's
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pidfile" \
    "$JAVA_HOME/bin/java" -cp "$HOME_DIR/jars/*" "${DAEMON_JVM_FLAGS[@]}" "${SPARK_JVM_FLAGS[@]}" \
    -Dspark.port.maxRetries=0 -Dspark.master.rest.enabled=false "$@" </dev/null >"$logfile" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do if [[ -s "$pidfile" ]]; then break; fi; sleep 0.1; done
  [[ -s "$pidfile" ]] || die "could not start $name (see $logfile)"
  STARTED+=("$(tr -dc '0-9' < "$pidfile")")
}

# RPC authentication with a secret generated at every start, and AES encryption of the RPC and block transfer
# traffic (spark.network.crypto, cheap next to a round's compute). Master, Workers and every job submitted with
# submit/cluster.sh read it from this file (mode 0600), so the secret never appears on a command line; a Worker
# hands it to its executors in their environment. The web UIs cannot kill applications.
write_auth_file() {
  local secret
  secret="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
  [[ ${#secret} == 64 ]] || die "could not read 32 random bytes from /dev/urandom"
  rm -f "$AUTH_FILE"
  (umask 077 && printf 'spark.authenticate=true\nspark.authenticate.secret=%s\nspark.network.crypto.enabled=true\nspark.ui.killEnabled=false\n' \
    "$secret" > "$AUTH_FILE")
}

# The Spark home the daemons run from (the fake home, or $SPARK_HOME in a release): their command lines name it.
recorded_home() {
  if [[ -r "$DIR/spark-home" ]]; then cat "$DIR/spark-home"; else printf '%s\n' "$DIR/home"; fi
}

load_env() { # sets REC_URL REC_WEBUI REC_WORKERS from the last successful start
  REC_URL="" REC_WEBUI="" REC_WORKERS=""
  [[ -r "$DIR/cluster.env" ]] || return 0
  REC_URL="$(sed -n 's/^MASTER_URL=//p' "$DIR/cluster.env")"
  REC_WEBUI="$(sed -n 's/^WEBUI_PORT=//p' "$DIR/cluster.env")"
  REC_WORKERS="$(sed -n 's/^WORKERS=//p' "$DIR/cluster.env")"
}

# ---------------------------------------------------------------- commands

cmd_start() {
  local mpid name pid i json alive status elapsed t0 deadline polls

  load_env
  mpid="$(tr -dc '0-9' 2>/dev/null < "$PID_DIR/master.pid" || true)"
  if our_proc "$mpid"; then die "already running: ${REC_URL:-?} (master pid $mpid); run '$BLORA_PROG stop --dir $DIR' first"; fi

  pin_java17
  ensure_built
  HOME_DIR="$(build_fake_home "$DIR")"
  export_fake_spark_env "$HOME_DIR"
  export SPARK_LOCAL_IP=127.0.0.1   # loopback only, whatever the caller's environment says
  export SPARK_WORKER_DIR="$DIR/work"

  for p in "$MASTER_PORT" "$WEBUI_PORT"; do
    if port_in_use "$p"; then die "port $p on 127.0.0.1 is already in use (choose --master-port/--webui-port)"; fi
  done
  for ((i = 1; i <= NWORKERS; i++)); do
    if port_in_use $((WEBUI_PORT + i)); then
      die "port $((WEBUI_PORT + i)) (worker $i web UI = --webui-port + $i) is already in use"
    fi
  done

  rm -rf "$PID_DIR"; mkdir -p "$PID_DIR" "$LOG_DIR" "$DIR/work"
  printf '%s\n' "$HOME_DIR" > "$DIR/spark-home"
  STARTED=()
  trap 'on_start_failure' EXIT

  t0="$(date +%s.%N)"
  deadline=$(( $(date +%s) + TIMEOUT ))
  write_auth_file
  launch master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$WEBUI_PORT" --properties-file "$AUTH_FILE"
  MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
  log "master pid ${STARTED[0]}, waiting for $MASTER_URL (web UI http://127.0.0.1:$WEBUI_PORT)"

  status="" polls=0
  while [[ "$status" != ALIVE ]]; do
    kill -0 "${STARTED[0]}" 2>/dev/null || die "master exited during start-up: $(tail -n 3 "$LOG_DIR/master.out" | tr '\n' ' ')"
    (( $(date +%s) < deadline )) || die "master did not come up within ${TIMEOUT}s (see $LOG_DIR/master.out)"
    sleep 0.3
    # The master log is the cheap signal: the JSON endpoint can take seconds to answer on a loaded machine.
    # The JSON endpoint (asked every 5th round) is the fallback should the log wording change.
    # Start the Workers once the Master JVM has booted ("Started daemon" is its first log line): its RPC
    # endpoint is up about 2 s later (5 s under heavy load), while a Worker JVM needs longer than that to
    # boot and connect; that overlap saves 5-15 s. Should a Worker still connect too early, it retries.
    if grep -qE 'Master: Started daemon|Starting Spark master at|New state: ALIVE' "$LOG_DIR/master.out" 2>/dev/null; then
      status=ALIVE; continue
    fi
    if (( ++polls % 5 == 0 )); then
      json="$(master_json "$WEBUI_PORT" || true)"
      status="$(printf '%s' "$json" | json_str status || true)"
    fi
  done

  for ((i = 1; i <= NWORKERS; i++)); do
    mkdir -p "$DIR/work/worker-$i"
    launch "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" --webui-port $((WEBUI_PORT + i)) \
      --work-dir "$DIR/work/worker-$i" --properties-file "$AUTH_FILE" "$MASTER_URL"
  done

  alive=0
  while ((alive < NWORKERS)); do
    for ((i = 1; i <= NWORKERS; i++)); do
      pid="${STARTED[i]}"
      kill -0 "$pid" 2>/dev/null || die "worker $i exited during start-up: $(tail -n 3 "$LOG_DIR/worker-$i.out" | tr '\n' ' ')"
    done
    (( $(date +%s) < deadline )) || die "only $alive of $NWORKERS workers registered within ${TIMEOUT}s (see $LOG_DIR/)"
    sleep 0.3
    alive="$(grep -c 'Master: Registering worker' "$LOG_DIR/master.out" 2>/dev/null || true)"
    if (( ${alive:-0} < NWORKERS && ++polls % 5 == 0 )); then
      json="$(master_json "$WEBUI_PORT" || true)"
      alive="$(printf '%s' "$json" | json_num aliveworkers || true)"
    fi
    alive="${alive:-0}"
  done

  trap - EXIT
  printf 'MASTER_URL=%s\nMASTER_PORT=%s\nWEBUI_PORT=%s\nWORKERS=%s\nCORES=%s\nMEMORY=%s\n' \
    "$MASTER_URL" "$MASTER_PORT" "$WEBUI_PORT" "$NWORKERS" "$CORES" "$MEMORY" > "$DIR/cluster.env"
  elapsed="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
  log "$NWORKERS worker(s) registered in ${elapsed}s; pids: ${STARTED[*]}; logs: $LOG_DIR"
  printf '%s\n' "$MASTER_URL"
}

on_start_failure() {
  local rc=$?
  trap - EXIT
  if ((${#STARTED[@]})); then
    log "start failed; stopping what was started (pids ${STARTED[*]})"
    local -a kids=()
    mapfile -t kids < <(descendants "${STARTED[@]}")
    terminate 5 "${STARTED[@]}" "${kids[@]+"${kids[@]}"}"
  fi
  rm -rf "$PID_DIR"
  exit "$((rc == 0 ? 1 : rc))"
}

cmd_stop() {
  local -a daemons=() kids=()
  local name pid
  HOME_DIR="$(recorded_home)"
  while read -r name pid; do
    if our_proc "$pid"; then daemons+=("$pid"); else log "$name (pid ${pid:-?}) is not running"; fi
  done < <(recorded_pids)
  if ((${#daemons[@]} == 0)); then
    rm -rf "$PID_DIR" "$DIR/cluster.env"
    log "not running"
    return 0
  fi
  mapfile -t kids < <(descendants "${daemons[@]}")
  log "stopping pids ${daemons[*]}${kids[*]:+ (and executors/drivers ${kids[*]})}"
  terminate "$GRACE" "${daemons[@]}"
  # Workers kill their executors on shutdown; make sure nothing is left behind.
  terminate 3 "${kids[@]+"${kids[@]}"}"
  rm -rf "$PID_DIR" "$DIR/cluster.env"
  log "stopped"
}

cmd_status() {
  local name pid ok=0 total=0 json alive="?" state
  HOME_DIR="$(recorded_home)"
  load_env
  if [[ ! -d "$PID_DIR" ]] || [[ -z "$(recorded_pids)" ]]; then
    echo "not running (dir $DIR)"
    return 3
  fi
  if [[ -n "$REC_WEBUI" ]] && json="$(master_json "$REC_WEBUI")"; then
    alive="$(printf '%s' "$json" | json_num aliveworkers || echo '?')"
  fi
  echo "master:  ${REC_URL:-?}  (web UI http://127.0.0.1:${REC_WEBUI:-?})"
  echo "workers: ${alive} alive of ${REC_WORKERS:-?}"
  while read -r name pid; do
    total=$((total + 1))
    if our_proc "$pid"; then state=running; ok=$((ok + 1)); else state=dead; fi
    printf '%-10s pid %-8s %s\n' "$name" "$pid" "$state"
  done < <(recorded_pids)
  ((ok == total)) || return 3
}

cmd_executor_pids() {
  local -a workers=()
  local name pid
  HOME_DIR="$(recorded_home)"
  while read -r name pid; do
    if [[ "$name" == worker-* ]] && our_proc "$pid"; then workers+=("$pid"); fi
  done < <(recorded_pids)
  ((${#workers[@]})) || return 0
  while read -r pid; do
    if proc_matches "$pid" org.apache.spark.executor.CoarseGrainedExecutorBackend; then printf '%s\n' "$pid"; fi
  done < <(descendants "${workers[@]}")
  return 0
}

cmd_worker_pid() {
  local pid
  HOME_DIR="$(recorded_home)"
  pid="$(tr -dc '0-9' 2>/dev/null < "$PID_DIR/worker-$WORKER.pid" || true)"
  our_proc "$pid" || die "worker $WORKER is not running (dir $DIR)"
  printf '%s\n' "$pid"
}

cmd_restart_worker() {
  local pid mpid before alive deadline t0 elapsed cores memory
  load_env
  [[ -n "$REC_URL" ]] || die "no cluster started in $DIR (run '$BLORA_PROG start' first)"
  ((WORKER >= 1 && WORKER <= REC_WORKERS)) || die "worker $WORKER does not exist: the cluster has workers 1..$REC_WORKERS"
  HOME_DIR="$(recorded_home)"
  mpid="$(tr -dc '0-9' 2>/dev/null < "$PID_DIR/master.pid" || true)"
  our_proc "$mpid" || die "the master of $DIR is not running; start the cluster again with '$BLORA_PROG start'"
  pid="$(tr -dc '0-9' 2>/dev/null < "$PID_DIR/worker-$WORKER.pid" || true)"
  if our_proc "$pid"; then die "worker $WORKER is running (pid $pid); kill it first, or stop the cluster"; fi
  cores="$(sed -n 's/^CORES=//p' "$DIR/cluster.env")"
  memory="$(sed -n 's/^MEMORY=//p' "$DIR/cluster.env")"

  [[ -r "$AUTH_FILE" ]] || die "$AUTH_FILE is missing: stop the cluster and start it again"
  pin_java17
  export_fake_spark_env "$HOME_DIR"
  export SPARK_LOCAL_IP=127.0.0.1
  export SPARK_WORKER_DIR="$DIR/work"
  before="$(grep -c 'Master: Registering worker' "$LOG_DIR/master.out" 2>/dev/null || true)"
  t0="$(date +%s.%N)"
  deadline=$(( $(date +%s) + TIMEOUT ))
  STARTED=()
  [[ ! -e "$LOG_DIR/worker-$WORKER.out" ]] || mv "$LOG_DIR/worker-$WORKER.out" "$LOG_DIR/worker-$WORKER.out.$(date +%s)"
  launch "worker-$WORKER" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores "${cores:-1}" --memory "${memory:-2g}" --webui-port $((REC_WEBUI + WORKER)) \
    --work-dir "$DIR/work/worker-$WORKER" --properties-file "$AUTH_FILE" "$REC_URL"
  alive="$before"
  while ((alive <= before)); do
    kill -0 "${STARTED[0]}" 2>/dev/null \
      || die "worker $WORKER exited during start-up: $(tail -n 3 "$LOG_DIR/worker-$WORKER.out" | tr '\n' ' ')"
    (( $(date +%s) < deadline )) || die "worker $WORKER did not register within ${TIMEOUT}s (see $LOG_DIR/worker-$WORKER.out)"
    sleep 0.3
    alive="$(grep -c 'Master: Registering worker' "$LOG_DIR/master.out" 2>/dev/null || true)"
    alive="${alive:-0}"
  done
  elapsed="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
  log "worker $WORKER restarted (pid ${STARTED[0]}) and registered in ${elapsed}s"
}

# ---------------------------------------------------------------- main

[[ $# -ge 1 ]] || { usage >&2; exit 2; }
CMD="$1"; shift
WORKER=""
if [[ "$CMD" == restart-worker || "$CMD" == worker-pid ]]; then
  [[ $# -ge 1 && "$1" =~ ^[0-9]+$ ]] || die "$CMD needs a worker number (1, 2, ...), got '${1:-}'"
  WORKER="$1"; shift
fi
DIR="$BLORA_SPARK_DIR" NWORKERS=2 CORES=1 MEMORY=2g MASTER_PORT=7077 WEBUI_PORT=8080 GRACE=10
TIMEOUT="${BLORA_STANDALONE_TIMEOUT:-60}"

need_int() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 needs a non-negative integer, got '$2'"; }
while [[ $# -gt 0 ]]; do
  opt="$1"; val=""
  case "$opt" in
    --*=*) val="${opt#*=}"; opt="${opt%%=*}" ;;
    -h|--help) usage; exit 0 ;;
    --*) [[ $# -ge 2 ]] || die "$opt needs a value"; val="$2"; shift ;;
    *) die "unexpected argument '$opt' (see --help)" ;;
  esac
  shift
  case "$opt" in
    --dir) DIR="$val" ;;
    --workers) need_int "$opt" "$val"; NWORKERS="$val" ;;
    --cores) need_int "$opt" "$val"; CORES="$val" ;;
    --memory) [[ "$val" =~ ^[0-9]+[kKmMgGtT]?$ ]] || die "--memory needs a size like 2g, got '$val'"; MEMORY="$val" ;;
    --master-port) need_int "$opt" "$val"; MASTER_PORT="$val" ;;
    --webui-port) need_int "$opt" "$val"; WEBUI_PORT="$val" ;;
    --timeout) need_int "$opt" "$val"; TIMEOUT="$val" ;;
    --grace) need_int "$opt" "$val"; GRACE="$val" ;;
    *) die "unknown option '$opt' (see --help)" ;;
  esac
done
((NWORKERS >= 1)) || die "--workers must be at least 1"
((CORES >= 1)) || die "--cores must be at least 1"

[[ "$CMD" != start ]] || mkdir -p "$DIR"
DIR="$(realpath -m "$DIR")"
PID_DIR="$DIR/pids"
LOG_DIR="$DIR/logs"
HOME_DIR="$DIR/home"
AUTH_FILE="$DIR/spark-auth.conf"

case "$CMD" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  executor-pids) cmd_executor_pids ;;
  worker-pid) cmd_worker_pid ;;
  restart-worker) cmd_restart_worker ;;
  -h|--help|help) usage ;;
  *) usage >&2; die "unknown command '$CMD'" ;;
esac
