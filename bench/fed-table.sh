#!/usr/bin/env bash
# The protocol x compressor table of docs/RESULTS.md: each federated variant on conf/experiments/fed-hetero.properties
# (8 heterogeneous clients), in Spark local mode. Prints a markdown table: uplink bits per round (mean over the
# run), rounds to ||grad f||^2 <= 1e-10 (budget 3000 rounds), total uplink bits, final ||grad f||^2. Runs go to runs/fed-table/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/runs/fed-table}"
conf="$root/conf/experiments/fed-hetero.properties"
budget=(--set optim.rounds=3000)
variants=(
  "gd (no compression)|fed.protocol=none"
  "gd sketch-first|fed.protocol=none fed.sketch.first=true"
  "qgd + natural|fed.protocol=qgd fed.compressor=natural"
  "qgd + qsgd s=16|fed.protocol=qgd fed.compressor=qsgd fed.compressor.levels=16"
  "marina + randk 10%|fed.protocol=marina fed.compressor=randk fed.compressor.k=0.1 fed.marina.q=0.1 optim.step.c=0.5"
  "marina + natural|fed.protocol=marina fed.compressor=natural fed.marina.q=0.1"
  "ef21 + topk 1%|fed.protocol=ef21 fed.compressor=topk fed.compressor.k=0.01"
  "ef21 + topk 10%|fed.protocol=ef21 fed.compressor=topk fed.compressor.k=0.1"
  "ef21 + topk 10%, half participation|fed.protocol=ef21 fed.compressor=topk fed.compressor.k=0.1 fed.participation=0.5"
)
printf '| variant | uplink bits / round | rounds to 1e-10 | total uplink bits | final grad_norm_sq |\n|---|---|---|---|---|\n'
i=0
for v in "${variants[@]}"; do
  name="${v%%|*}"; sets=(); for kv in ${v#*|}; do sets+=(--set "$kv"); done
  dir="$out/$i"; i=$((i + 1)); mkdir -p "$out"
  "$root/submit/local.sh" train --conf "$conf" "${budget[@]}" "${sets[@]}" --out "$dir" --overwrite > "$dir.log" 2>&1 || true
  s="$dir/summary.json"
  if [[ ! -f "$s" ]]; then printf '| %s | failed (see %s.log) | | | |\n' "$name" "$dir"; continue; fi
  rounds=$(grep -o '"rounds": [0-9]*' "$s" | grep -o '[0-9]*$')
  conv=$(grep -o '"converged": [a-z]*' "$s" | grep -o '[a-z]*$')
  total=$(grep -o '"total_uplink_bits": [0-9]*' "$s" | grep -o '[0-9]*$')
  g=$(grep -o '"grad_norm_sq": [-0-9.eE]*' "$s" | grep -o '[-0-9.eE]*$')
  per=$(( rounds > 0 ? total / rounds : 0 ))
  reached=$([[ "$conv" == true ]] && echo "$rounds" || echo "not reached in $rounds")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$per" "$reached" "$total" "$g"
done
