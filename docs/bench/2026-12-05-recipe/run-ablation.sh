#!/bin/sh
# Recipe ablation on the real sample (issue 14): each setting fine-tunes the starter model for the
# same number of optimiser steps (--steps: equal work however busy the machine), one thread,
# trains on one half and tests on the other against the paper's CDNet mask.
# Usage: REAL_DIR=../shared/data/real [STEPS=40] [HALF=left] [SEED=1] run-ablation.sh OUT SETTING...
# SETTING is one of the names below; OUT/<setting>-<half>-<steps>.txt receives the raw output.
set -eu
out=$1
shift
cdnet=${CDNET:-build/app/cdnet}
real=${REAL_DIR:?REAL_DIR must name the real sample folder}
steps=${STEPS:-40}
half=${HALF:-left}
seed=${SEED:-1}
mkdir -p "$out"
for setting in "$@"; do
  case $setting in
  default) extra="" ;;
  intensity) extra="--aug-gamma 0.3 --aug-contrast 0.2 --aug-brightness 0.2 --aug-blur 1 --aug-noise 0.1" ;;
  elastic) extra="--aug-elastic 4" ;;
  strip) extra="--val-strip 0.15 --best-by dice" ;;
  wd) extra="--weight-decay 1e-4" ;;
  dropout0) extra="--dropout 0" ;;
  dropout2) extra="--dropout 0.2" ;;
  lr3e-5) extra="--lr 3e-5" ;;
  lr3e-4) extra="--lr 3e-4" ;;
  elastic8) extra="--aug-elastic 8" ;;
  *) echo "unknown setting $setting" >&2; exit 2 ;;
  esac
  f="$out/$setting-$half-$steps.txt"
  echo "# $cdnet bench real --real $real --init models/starter-b16.pt --train-half $half --steps $steps --threads 1 --seed $seed --keep $out/model-$setting-$half-$steps $extra" >"$f"
  # shellcheck disable=SC2086
  "$cdnet" bench real --real "$real" --init models/starter-b16.pt --train-half "$half" --steps "$steps" --threads 1 \
    --seed "$seed" --keep "$out/model-$setting-$half-$steps" $extra >>"$f" 2>&1
  tail -n 1 "$f"
done
