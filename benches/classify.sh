#!/usr/bin/env bash
# `crossroads classify` over 10,000 questions on one core, from a fresh database (so startup
# includes creating, migrating and seeding it, and training the classifier). Prints wall time
# and peak RSS. Needs a release build: cargo build --release
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/crossroads
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/q.jsonl" <<'PY'
import json, sys, itertools, glob
texts = [json.loads(l)["text"] for f in sorted(glob.glob("knowledge/examples/*.jsonl")) for l in open(f)]
with open(sys.argv[1], "w") as out:
    for i, t in zip(range(10_000), itertools.cycle(texts)):
        out.write(json.dumps({"id": i, "text": t}) + "\n")
PY
/usr/bin/time -f "classify 10,000 questions: %e s wall, peak RSS %M KB" \
  taskset -c 0 "$bin" --database-url "sqlite://$work/bench.db" classify --jsonl "$work/q.jsonl" \
  > "$work/out.jsonl"
echo "lines out: $(wc -l < "$work/out.jsonl")"
