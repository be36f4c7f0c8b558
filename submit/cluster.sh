#!/usr/bin/env bash
# Submits a blora-spark job (main class org.blora.cli.Main in spark-job/target/blora-spark-app.jar) to a
# cluster: $SPARK_HOME/bin/spark-submit when SPARK_HOME is a real Spark distribution, otherwise Spark's
# SparkSubmit from the Maven-resolved jars, or from a release's spark/jars/ (both include Spark's YARN module).
# See docs/CLUSTER.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<'EOF'
Usage: submit/cluster.sh JOB [JOB ARGS...] --master URL [SPARK OPTIONS...] [-- JOB ARGS...]

  --master URL   spark://127.0.0.1:7077 (submit/standalone.sh start), yarn, k8s://https://HOST:PORT, local[N], ...
                 (default: $BLORA_MASTER). Consumed by this script.

Spark options passed to spark-submit (everything else goes to the job, in order):
  --conf spark.KEY=VALUE         a --conf whose value starts with "spark." and has '=' is a Spark setting;
                                 any other --conf (e.g. --conf conf/experiments/x.properties) belongs to the job
  --spark-conf KEY=VALUE         always a Spark setting (for keys outside spark.*, e.g. hadoop settings)
  --deploy-mode client|cluster   --executor-memory M   --executor-cores N   --total-executor-cores N
  --num-executors N   --driver-memory M   --driver-cores N   --driver-java-options "..."
  --driver-class-path CP   --driver-library-path P   --jars L   --packages L   --exclude-packages L
  --repositories L   --files L   --archives L   --properties-file F   --queue Q   --principal P
  --keytab F   --supervise
  --                             everything after it goes to the job unchanged

Environment: SPARK_HOME (real distribution with bin/spark-submit; optional: without it a source checkout uses
  the Maven-resolved jars, a release its spark/jars/), HADOOP_CONF_DIR or YARN_CONF_DIR (for --master yarn), BLORA_MASTER,
  BLORA_APP_JAR (jar path or URI, e.g. local:///opt/blora/blora-spark-app.jar for Kubernetes),
  BLORA_SPARK_DIR (fake SPARK_HOME location when SPARK_HOME is not a distribution), BLORA_JAVA_HOME,
  BLORA_DRY_RUN=1 (print the submit command and exit).
The exact submit command is printed on stderr.
EOF
}

if [[ $# -eq 0 ]]; then usage >&2; exit 2; fi
if [[ "$1" == -h || "$1" == --help ]]; then usage; exit 0; fi

MASTER="${BLORA_MASTER:-}"
DRIVER_MEMORY="" DRIVER_JAVA_OPTS="" DRIVER_CP="" DRIVER_LIBPATH="" PROPERTIES_FILE=""
job_args=() spark_opts=()
while [[ $# -gt 0 ]]; do
  arg="$1"
  case "$arg" in
    --)
      shift; job_args+=("$@"); break ;;
    --master=*) MASTER="${arg#*=}" ;;
    --master)
      [[ $# -ge 2 ]] || die "--master needs a URL"
      MASTER="$2"; shift ;;
    --spark-conf=*) spark_opts+=(--conf "${arg#*=}") ;;
    --spark-conf)
      [[ $# -ge 2 && "$2" == *=* ]] || die "--spark-conf needs KEY=VALUE"
      spark_opts+=(--conf "$2"); shift ;;
    --conf=spark.*=*) spark_opts+=(--conf "${arg#*=}") ;;
    --conf)
      if [[ $# -ge 2 && "$2" =~ ^spark\.[^=]+= ]]; then spark_opts+=(--conf "$2"); shift
      else job_args+=("$arg"); fi ;;
    --deploy-mode|--executor-memory|--executor-cores|--total-executor-cores|--num-executors|--driver-cores|\
    --jars|--packages|--exclude-packages|--repositories|--files|--archives|--properties-file|--queue|\
    --principal|--keytab|--driver-memory|--driver-java-options|--driver-class-path|--driver-library-path)
      [[ $# -ge 2 ]] || die "$arg needs a value"
      case "$arg" in
        --driver-memory) DRIVER_MEMORY="$2" ;;
        --driver-java-options) DRIVER_JAVA_OPTS="$2" ;;
        --driver-class-path) DRIVER_CP="$2" ;;
        --driver-library-path) DRIVER_LIBPATH="$2" ;;
        --properties-file) PROPERTIES_FILE="$2" ;;
      esac
      spark_opts+=("$arg" "$2"); shift ;;
    --deploy-mode=*|--executor-memory=*|--executor-cores=*|--total-executor-cores=*|--num-executors=*|\
    --driver-cores=*|--jars=*|--packages=*|--exclude-packages=*|--repositories=*|--files=*|--archives=*|\
    --properties-file=*|--queue=*|--principal=*|--keytab=*)
      if [[ "$arg" == --properties-file=* ]]; then PROPERTIES_FILE="${arg#*=}"; fi
      spark_opts+=("${arg%%=*}" "${arg#*=}") ;;
    --supervise) spark_opts+=("$arg") ;;
    *) job_args+=("$arg") ;;
  esac
  shift
done

[[ ${#job_args[@]} -gt 0 ]] || { usage >&2; die "no JOB given (train, sweep, prep-regression, prep-mnist, plot)"; }
if [[ -z "$MASTER" ]]; then
  for a in "${job_args[@]}"; do
    if [[ "$a" == --help || "$a" == -h ]]; then MASTER="local[1]"; fi
  done
  [[ -n "$MASTER" ]] || die "--master URL is required (e.g. the spark://127.0.0.1:7077 printed by submit/standalone.sh start)"
fi

loopback_master() {
  case "$MASTER" in
    local|local\[*|local-cluster\[*|spark://127.0.0.1:*|spark://localhost:*) return 0 ;;
    *) return 1 ;;
  esac
}

# The local standalone cluster of submit/standalone.sh authenticates every connection with its secret.
AUTH_FILE="$(standalone_auth_file "$MASTER")"
if [[ -n "$AUTH_FILE" ]]; then
  [[ -z "$PROPERTIES_FILE" ]] || die "--properties-file $PROPERTIES_FILE: the cluster at $MASTER needs the settings of $AUTH_FILE; copy them into your file and submit with BLORA_SPARK_DIR unset, or drop --properties-file"
  spark_opts+=(--properties-file "$AUTH_FILE")
fi

pin_java17
if [[ "$BLORA_APP_JAR" == "$BLORA_DEFAULT_APP_JAR" ]]; then
  ensure_built
  [[ -s "$BLORA_APP_JAR" ]] || die "missing application jar $BLORA_APP_JAR"
fi

if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  # A real Spark distribution: its own launcher, conf/ and cluster-manager modules (YARN, Kubernetes).
  if loopback_master; then export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"; fi
  cmd=("$SPARK_HOME/bin/spark-submit" --master "$MASTER" --class "$BLORA_MAIN_CLASS"
       "${spark_opts[@]+"${spark_opts[@]}"}" "$BLORA_APP_JAR" "${job_args[@]}")
else
  case "$MASTER" in
    k8s://*|mesos://*)
      die "--master $MASTER needs a real Spark 4.2 distribution (these jars have Spark's YARN module but not its Kubernetes one): set SPARK_HOME to it" ;;
  esac
  if [[ "$BLORA_RELEASE" == 0 && -n "${SPARK_HOME:-}" ]]; then
    log "SPARK_HOME=$SPARK_HOME has no bin/spark-submit; using the Maven-resolved jars"
  fi
  if loopback_master; then export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"; fi
  ensure_built
  HOME_DIR="$(build_fake_home "$BLORA_SPARK_DIR")"
  export_fake_spark_env "$HOME_DIR"
  # What bin/spark-submit would do for the client-mode driver JVM (SparkSubmitCommandBuilder).
  jvm=(-Xmx"${DRIVER_MEMORY:-1g}")
  if [[ -n "$DRIVER_JAVA_OPTS" ]]; then
    read -r -a extra <<<"$DRIVER_JAVA_OPTS"
    jvm+=("${extra[@]}")
  fi
  if [[ -n "$DRIVER_LIBPATH" ]]; then jvm+=("-Djava.library.path=$DRIVER_LIBPATH"); fi
  cp="$HOME_DIR/jars/*"
  # As bin/spark-class does: the Hadoop and YARN configuration folders are on the driver's classpath.
  for d in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
    if [[ -n "$d" ]]; then cp="$d:$cp"; fi
  done
  if [[ -n "$DRIVER_CP" ]]; then cp="$DRIVER_CP:$cp"; fi
  cmd=("$JAVA_HOME/bin/java" -cp "$cp" "${jvm[@]}" "${SPARK_JVM_FLAGS[@]}" org.apache.spark.deploy.SparkSubmit
       --master "$MASTER" --class "$BLORA_MAIN_CLASS" "${spark_opts[@]+"${spark_opts[@]}"}"
       "$BLORA_APP_JAR" "${job_args[@]}")
  log "env: JAVA_HOME=$JAVA_HOME SPARK_HOME=$SPARK_HOME SPARK_SCALA_VERSION=$SPARK_SCALA_VERSION SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-}"
fi

log "submit: $(quote_cmd "${cmd[@]}")"
if [[ "${BLORA_DRY_RUN:-0}" == 1 ]]; then exit 0; fi
exec "${cmd[@]}"
