#!/usr/bin/env bash
# Loading a Parquet data set into the job's cached client blocks against reading its bytes once.
#   bench/load.sh [--rows N] [--features D] [--clients C] [--reps R]      (default 32768 x 4096 = 1.07 GB, 2 clients)
# Generates the data once with prep-regression into target/bench-load/ (reused afterwards). Where the page cache
# can be dropped (root: /proc/sys/vm/drop_caches), both sides read from the disk: one cold read of the files
# (cat > /dev/null after dropping the cache) against the job's load after dropping the cache, which is
#   ratio parquet_load_vs_disk_read X   (target <= 2)
# Both sides are also timed warm (the files in the page cache: cat's second read, the load after a warm-up),
#   ratio parquet_load_warm_vs_warm_read X
# which is the only pair measured where the cache cannot be dropped (then parquet_load_vs_disk_read is that pair).
# org.blora.bench.LoadBenchmark times the job's load (read, persist MEMORY_AND_DISK, one counting pass) with the
# page decoder and with Parquet's value reader, alternately. MVN_OFFLINE=-o for an offline build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=32768 FEATURES=4096 CLIENTS=2 REPS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) ROWS="$2"; shift ;;
    --features) FEATURES="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --reps) REPS="$2"; shift ;;
    *) echo "bench/load.sh: unknown flag $1 (--rows N --features D --clients C --reps R)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p target/bench-load
source bench/build.sh
DATA="$PWD/target/bench-load/regression-${ROWS}x${FEATURES}-c${CLIENTS}"
if [[ ! -f "$DATA/_spec.properties" ]]; then
  rm -rf "$DATA"
  echo "[load] generating $ROWS x $FEATURES on $CLIENTS clients into $DATA"
  java ${BENCH_JAVA_OPTS:--Xmx4g} $FLAGS -cp "$CP" org.blora.cli.Main prep-regression --set "data.rows=$ROWS" \
      --set "data.features=$FEATURES" --set "clients=$CLIENTS" --set "spark.master=local[2]" --out "$DATA" \
      >target/bench-load/prep.log 2>&1 || { cat target/bench-load/prep.log; exit 1; }
fi
BYTES=$(cat "$DATA"/*.parquet | wc -c)
ms_now() { date +%s%N; }
COLD_MS=-1
if { sync && echo 1 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
  COLD=()
  for _ in $(seq "$REPS"); do
    sync && echo 1 > /proc/sys/vm/drop_caches
    T0=$(ms_now); cat "$DATA"/*.parquet >/dev/null; T1=$(ms_now)
    COLD+=($(( (T1 - T0) / 1000000 )))
  done
  COLD_MS=$(printf '%s\n' "${COLD[@]}" | sort -n | sed -n "$(( (REPS + 1) / 2 ))p")
  echo "[load] cold read (page cache dropped, cat > /dev/null): ${COLD[*]} ms, median $COLD_MS ms"
else
  echo "[load] the page cache cannot be dropped here (not root): warm reads only"
fi
cat "$DATA"/*.parquet >/dev/null
T0=$(ms_now); cat "$DATA"/*.parquet >/dev/null; T1=$(ms_now)
READ_MS=$(( (T1 - T0) / 1000000 ))
echo "[load] $DATA: $BYTES bytes of Parquet; warm read (cat > /dev/null, second of two) $READ_MS ms"
echo "[load] load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java ${BENCH_JAVA_OPTS:--Xmx6g} $FLAGS -cp "$CP" org.blora.bench.LoadBenchmark "$DATA" "$CLIENTS" "$REPS" "$READ_MS" \
    "$COLD_MS" 2>target/bench-load/load.err
echo "[load] load average: $(cut -d' ' -f1-3 /proc/loadavg)"
