#!/usr/bin/env bash
# The performance benchmark: one run on one data set, prints a table and the ratio lines and
# writes bench/results.md. Flags go to org.blora.bench.RoundBenchmark:
#   --rows N --features D   data size (default the paper's fine-tuning set, 10000 x 4096)
#   --gd-rounds R --sgd-rounds R --floor-reps K --mllib-iter K
#   --page [--page-rounds R] time to ||grad f||^2 <= 5e-16 with the paper's PAGE configuration (minutes)
#   --crossover N1,N2,...   only GD and PAGE rounds of the job against NumPy at each row count (where each wins)
#   --out FILE              where to write the Markdown results (default bench/results.md)
# Quick run: bench/run.sh --rows 2000 --features 1024
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/build.sh
exec java ${BENCH_JAVA_OPTS:--Xmx8g} $FLAGS -cp "$CP" org.blora.bench.RoundBenchmark "$@"
