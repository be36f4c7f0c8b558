#!/usr/bin/env bash
# Runs a blora-spark job in Spark local mode from the Maven-resolved jars: no Spark installation needed.
#   submit/local.sh                         build if needed, then the default demo into runs/demo/
#   submit/local.sh train --conf FILE --set key=value --out DIR
#   submit/local.sh prep-regression|plot|sweep ... ; submit/local.sh --help
# Environment: BLORA_JAVA_OPTS (default -Xmx8g) for the driver JVM, SPARK_LOCAL_IP (127.0.0.1).
set -euo pipefail
# shellcheck source=submit/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pin_java17
ensure_built
if [[ $# -eq 0 ]]; then
  log "no arguments: running the demo (conf/demo.properties) into runs/demo"
  set -- train --conf "$BLORA_ROOT/conf/demo.properties" --out "$BLORA_ROOT/runs/demo" --overwrite
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# shellcheck disable=SC2086  # BLORA_JAVA_OPTS is a word list on purpose
exec java ${BLORA_JAVA_OPTS:--Xmx8g} "${SPARK_JVM_FLAGS[@]}" -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$BLORA_ROOT/conf/log4j2.properties" \
  -cp "$BLORA_APP_JAR:$(read_classpath)" org.blora.cli.Main "$@"
