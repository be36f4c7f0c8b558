#!/usr/bin/env bash
# A training round on a real Spark standalone cluster (submit/standalone.sh: a Master and 2 Workers of 1 core,
# each executor its own JVM) next to the same round in local[2] (executors are threads of the driver's JVM),
# both submitted the same way (submit/cluster.sh), alternately, REPS times each, with run.rounds=persistent (every
# round in one barrier stage) and then run.rounds=stage (a stage per round). Prints the median ms per round of each
# (from the runs' metrics.csv wall_ms, first 10 rounds left out) and
#   ratio cluster_round_vs_local_round X         (persistent)
#   ratio cluster_round_vs_local_round_stage X
# Slow to start (a cluster and 4*REPS driver JVMs: minutes on a loaded 2-core machine), so not part of run.sh.
# Usage: bench/cluster.sh [--reps N] [--rounds R] [--modes "persistent stage"] [--set key=value ...]
# (MVN_OFFLINE=-o for an offline build)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=2 ROUNDS=200 MODES="persistent stage"
SETS=(--set data.rows=4000 --set data.features=256 --set model.shape=16x16 --set lora.rank=1
      --set optim.estimator=gd --set optim.tol=1e-30 --set run.metrics.every=1 --set clients=2)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) REPS="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --modes) MODES="$2"; shift ;;
    --set) SETS+=(--set "$2"); shift ;;
    *) echo "bench/cluster.sh: unknown flag $1 (--reps N --rounds R --modes M --set key=value)" >&2; exit 2 ;;
  esac
  shift
done
SETS+=(--set "optim.rounds=$ROUNDS")
DIR="$PWD/target/bench-cluster"
rm -rf "$DIR" && mkdir -p "$DIR"
export BLORA_MVN_ARGS="${MVN_OFFLINE:-}"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Median of the per-round wall-time differences of a run's metrics.csv (column 3, wall_ms), rounds >= 10.
per_round_ms() {
  python3 - "$1/metrics.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
w = [float(r["wall_ms"]) for r in rows]
d = [b - a for a, b in zip(w[10:-1], w[11:])]
print("%.3f" % statistics.median(d))
PY
}

echo "[cluster] load average: $(cut -d' ' -f1-3 /proc/loadavg)"
URL=$(submit/standalone.sh start --dir "$DIR/standalone" --workers 2 --cores 1 --memory 1g --timeout 300 \
      --master-port "$(free_port)" --webui-port "$(free_port)")
trap 'submit/standalone.sh stop --dir "$DIR/standalone" >/dev/null 2>&1 || true' EXIT
echo "[cluster] $URL"
for MODE in $MODES; do
  cluster=() local=()
  for ((i = 1; i <= REPS; i++)); do
    BLORA_SPARK_DIR="$DIR/standalone" submit/cluster.sh train --master "$URL" --executor-memory 512m \
        "${SETS[@]}" --set "run.rounds=$MODE" --out "$DIR/cluster-$MODE-$i" >"$DIR/cluster-$MODE-$i.log" 2>&1 || { cat "$DIR/cluster-$MODE-$i.log"; exit 1; }
    submit/cluster.sh train --master 'local[2]' "${SETS[@]}" --set "run.rounds=$MODE" --out "$DIR/local-$MODE-$i" >"$DIR/local-$MODE-$i.log" 2>&1 \
        || { cat "$DIR/local-$MODE-$i.log"; exit 1; }
    cluster+=("$(per_round_ms "$DIR/cluster-$MODE-$i")")
    local+=("$(per_round_ms "$DIR/local-$MODE-$i")")
    # Same configuration, same numbers: every column of metrics.csv but wall_ms.
    if ! diff <(cut -d, -f1,2,4- "$DIR/cluster-$MODE-$i/metrics.csv") <(cut -d, -f1,2,4- "$DIR/local-$MODE-$i/metrics.csv") >/dev/null; then
      echo "[cluster] metrics.csv differ between the cluster and local[2] runs $i" >&2; exit 1
    fi
    echo "[cluster] $MODE repetition $i: ms per GD round, cluster ${cluster[-1]}, local[2] ${local[-1]}"
  done
  python3 - "${cluster[*]}" "${local[*]}" "$MODE" <<'PY'
import statistics, sys
c = [float(x) for x in sys.argv[1].split()]
l = [float(x) for x in sys.argv[2].split()]
mode = sys.argv[3]
print("[cluster] %s: median ms per round: cluster %.2f, local[2] %.2f" % (mode, statistics.median(c), statistics.median(l)))
print("ratio cluster_round_vs_local_round%s %.3f" % ("" if mode == "persistent" else "_" + mode,
      statistics.median(c) / statistics.median(l)))
PY
done
echo "[cluster] load average: $(cut -d' ' -f1-3 /proc/loadavg)"
