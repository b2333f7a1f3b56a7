#!/usr/bin/env bash
# Reproduces the shipped models from scratch on the CPU: synthesise a phantom data set, train
# the GAN, the Conv2DTranspose baseline and the auditor on it, copy the checkpoints into
# models/, and redraw the per-class grid of docs/models.md. Runs are resumable: run it again
# after an interruption and each training continues from its last checkpoint (the auditor
# from its last finished epoch). Settings can be overridden:
#   N=6000 GAN_STEPS=2000 DECONV_STEPS=1500 AUDITOR_EPOCHS=4 scripts/train-default.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
LESIONLAB=.venv/bin/lesionlab
N=${N:-20000}
GAN_STEPS=${GAN_STEPS:-2000}
DECONV_STEPS=${DECONV_STEPS:-1500}
AUDITOR_EPOCHS=${AUDITOR_EPOCHS:-10}
DATA=data/phantom-128
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
"$LESIONLAB" train --model auditor --data "$DATA" --format isic2024 --size 128 \
  --epochs "$AUDITOR_EPOCHS" --out runs/auditor-128
"$PY" scripts/score_auditor.py --model runs/auditor-128 --check tests/fixtures/ham10000:ham10000

for name in gan-128 deconv-128; do
  mkdir -p "models/$name"
  sampling=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["sampling_file"])' \
    "runs/$name/config.json")
  rm -f "models/$name"/generator*.keras
  cp "runs/$name/$sampling" "runs/$name/config.json" "runs/$name/metrics.json" "models/$name/"
done
cp runs/auditor-128/auditor.keras runs/auditor-128/config.json runs/auditor-128/metrics.json \
  runs/auditor-128/training_state.json models/auditor-128/
echo "copied the checkpoints into models/; write the step count and time into each card.md"
"$PY" scripts/model_grids.py
