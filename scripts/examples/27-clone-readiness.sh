#!/bin/sh
# Block 27, clone readiness.
set -eu
. "$(dirname "$0")/prologue.inc"

echo "== the seed's clone_alpha: 0.91, 0.88, 0.87, 0.90"
brain-score clone_alpha --accuracy=0.91 --confidence=0.88 --consistency=0.87 --robustness=0.90

echo "== a high average does not hide a weak component"
brain-score clone_beta 0.99 0.97 0.98 0.62 || echo "(exit $?: not ready)"

echo "== scored from raw evaluation runs"
cat > runs.jsonl <<'RUNS'
{"case":"objection-price","run":1,"passed":true,"confidence":0.9,"compliance":{"ai_disclosure":true}}
{"case":"objection-price","run":2,"passed":true,"confidence":0.85}
{"case":"callback","run":1,"passed":true,"confidence":0.8}
{"case":"callback","run":2,"passed":false,"confidence":0.7}
{"case":"opt-out","run":1,"passed":true,"confidence":0.95,"compliance":{"opt_out_honoured":true}}
{"case":"opt-out","run":2,"passed":true,"confidence":0.95}
{"case":"objection-price","run":3,"passed":true,"perturbed":true}
{"case":"callback","run":3,"passed":false,"perturbed":true}
RUNS
brain-score clone_gamma --runs=runs.jsonl || echo "(exit $?: not ready)"
brain-score history clone_alpha | sed 's/"components".*"ts"/.. "ts"/'
rm -f runs.jsonl
