#!/usr/bin/env bash
# Reproduces the shipped models from scratch on the CPU: synthesise a phantom data set, train
# the GAN and the Conv2DTranspose baseline on it, copy the sampling checkpoints into models/,
# and redraw the per-class grid of docs/models.md. Runs are resumable: run it again after an
# interruption and each training continues from its last checkpoint.
# Settings can be overridden: N=6000 GAN_STEPS=2000 DECONV_STEPS=1500 scripts/train-default.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
LESIONLAB=.venv/bin/lesionlab
N=${N:-12000}
GAN_STEPS=${GAN_STEPS:-2000}
DECONV_STEPS=${DECONV_STEPS:-1500}
DATA=data/phantom-v2-128
mkdir -p data runs

if [ ! -d "$DATA" ]; then
  "$LESIONLAB" synth --n "$N" --size 128 --seed 0 --format isic2024 --class-mix balanced \
    --workers 2 --out "$DATA"
fi

train() {  # name model steps
  local resume=()
  [ -f "runs/$1/train_state.keras" ] && resume=(--resume)
  "$LESIONLAB" train --model "$2" --data "$DATA" --format isic2024 --size 128 --batch 16 \
    --steps "$3" --out "runs/$1" --checkpoint-every 200 --sample-every 200 "${resume[@]}"
}
train gan-128 gan "$GAN_STEPS"
train deconv-128 deconv "$DECONV_STEPS"

for name in gan-128 deconv-128; do
  mkdir -p "models/$name"
  sampling=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["sampling_file"])' \
    "runs/$name/config.json")
  rm -f "models/$name"/generator*.keras
  cp "runs/$name/$sampling" "runs/$name/config.json" "runs/$name/metrics.json" "models/$name/"
done
echo "copied the checkpoints into models/; write the step count and time into each card.md"
"$PY" scripts/model_grids.py
