#!/bin/bash
# Runs every benchmark at the sizes the README quotes and keeps the raw output, for the README's
# table (docs/bench/). Run it on a quiet machine: the numbers are only as good as the machine.
#
#   packaging/run-benchmarks.sh OUTDIR [NAME...]
#
# NAME: io accuracy real real-zeroshot real-starter5 real-scratch5 real-starter15 infer memory analysis256 analysis512 labels scale phantom views edit latency ml pyramid lazy tiles bigvolume
# (default: all). Environment: BUILD (build folder, default ./build), BUILD_ML (the
# CDNET_ML_ONLY build with cdnet-ml-bench, default ./build-ml; skipped when absent),
# ACCURACY_MINUTES (training time of bench accuracy and bench real, default 15), REAL_DIR (the
# real sample's folder for bench real; skipped when unset: the sample is not in the project),
# ANALYSIS_TRAIN_MINUTES (training time of the model whose predicted cracks bench analysis256 also
# analyses, default 15) or ANALYSIS_MODEL (that model, e.g. the one ACCURACY_KEEP=DIR keeps),
# STARTER (the starter model the real-* runs fine-tune, default models/starter-b16.pt), REAL_EXTRA
# (more options for every real-* run, e.g. "--crop 128" for an ablation).
#
# Writes, per benchmark, OUTDIR/NAME.txt (a header: date, command, CPU model, nproc, load
# average, kernel, git commit; then the benchmark's stdout; then its exit code and wall time),
# OUTDIR/NAME.log (its stderr: progress), OUTDIR/NAME.json (--json), and OUTDIR/results.txt (every
# result: line). Exits non-zero when a benchmark failed (the others still run). The full set takes
# about an hour on 2 cores (bench accuracy alone trains for 15 minutes).
set -u

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
OUT=$1
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
BUILD_ML=${BUILD_ML:-$ROOT/build-ml}
CDNET=$BUILD/app/cdnet
STUDIO=$BUILD/app/cdnet-studio
ML=$BUILD_ML/core/ml/bench/cdnet-ml-bench
ALL="io accuracy real real-zeroshot real-starter5 real-scratch5 real-starter15 infer memory analysis256 analysis512 labels scale phantom views edit latency ml pyramid lazy tiles bigvolume"
WANT=${*:-$ALL}

for name in $WANT; do
  case " $ALL " in *" $name "*) ;; *) echo "run-benchmarks.sh: unknown benchmark '$name' (known: $ALL)" >&2; exit 2 ;; esac
done
[ -x "$CDNET" ] || { echo "run-benchmarks.sh: $CDNET is missing: build the cdnet target first" >&2; exit 2; }
mkdir -p "$OUT" || { echo "run-benchmarks.sh: cannot create $OUT" >&2; exit 2; }
OUT=$(cd "$OUT" && pwd)

# The studio needs a display; Xvfb when there is none (Mesa llvmpipe then renders on the CPU).
XRUN=()
if [ -z "${DISPLAY:-}" ]; then
  command -v xvfb-run >/dev/null || { echo "run-benchmarks.sh: no DISPLAY and no xvfb-run" >&2; exit 2; }
  XRUN=(xvfb-run -a -s "-screen 0 1280x800x24")
fi

commit=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes)"
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)

header() { # NAME COMMAND...
  local name=$1
  shift
  echo "# cdnet benchmark: $name"
  echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# command: $*"
  echo "# cpu: ${cpu:-unknown}"
  echo "# nproc: $(nproc)"
  echo "# load average (1, 5, 15 min) before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "# kernel: $(uname -sr)"
  echo "# git commit: $commit"
  echo "#"
}

failed=0
: > "$OUT/results.txt"
bench() { # NAME PROGRAM ARGS... (the benchmark gets --json OUTDIR/NAME.json)
  local name=$1
  shift
  local txt=$OUT/$name.txt
  echo "== $name: $* (output in $txt)"
  header "$name" "$@" > "$txt"
  local t0=$SECONDS
  "$@" --json "$OUT/$name.json" >> "$txt" 2> "$OUT/$name.log"
  local rc=$?
  echo "# exit code $rc after $((SECONDS - t0)) s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$txt"
  local last
  last=$(grep -v '^#' "$txt" | tail -n 1)
  case "$last" in
    result:*) echo "$name $last" >> "$OUT/results.txt" ;;
    *)
      echo "   $name printed no result: line" >&2
      [ "$rc" = 0 ] && rc=1
      ;;
  esac
  if [ "$rc" != 0 ]; then
    echo "   $name FAILED (exit code $rc; see $OUT/$name.log)" >&2
    failed=1
  fi
}

for name in $WANT; do
  case $name in
    io) bench io "$CDNET" bench io --size-gib 1 ;;
    accuracy) bench accuracy "$CDNET" bench accuracy --minutes "${ACCURACY_MINUTES:-15}" ${ACCURACY_KEEP:+--keep "$ACCURACY_KEEP"} ;;
    real | real-zeroshot | real-starter5 | real-scratch5 | real-starter15)
      if [ -z "${REAL_DIR:-}" ]; then
        echo "== $name: skipped, REAL_DIR is not set (the folder of region1_image.png and region1_cdnet_mask.png)"
        continue
      fi
      STARTER=${STARTER:-$ROOT/models/starter-b16.pt}
      case $name in
        real) bench real "$CDNET" bench real --real "$REAL_DIR" --minutes "${ACCURACY_MINUTES:-15}" --lr 1e-3 ${REAL_EXTRA:-} ;;
        real-zeroshot) bench real-zeroshot "$CDNET" bench real --real "$REAL_DIR" --minutes 0 --init "$STARTER" ${REAL_EXTRA:-} ;;
        real-starter5) bench real-starter5 "$CDNET" bench real --real "$REAL_DIR" --minutes 5 --lr 1e-3 --init "$STARTER" ${REAL_EXTRA:-} ;;
        real-scratch5) bench real-scratch5 "$CDNET" bench real --real "$REAL_DIR" --minutes 5 --lr 1e-3 ${REAL_EXTRA:-} ;;
        real-starter15) bench real-starter15 "$CDNET" bench real --real "$REAL_DIR" --minutes 15 --lr 1e-3 --init "$STARTER" ${REAL_EXTRA:-} ;;
      esac
      ;;
    infer) bench infer "$CDNET" bench infer --size 512 --widths 64,16 --reps 7 ;;
    pyramid) bench pyramid "$CDNET" bench pyramid --size 256 ;;
    lazy) bench lazy "$CDNET" bench lazy ;;
    tiles) bench tiles "$CDNET" bench tiles --size 1024 --slices 2 --reps 5 --empty-border 0.3 ;;
    bigvolume)
      # Twice: the first run writes the 16 GB and measures right after ("fresh"); on a virtual
      # machine the host is then still busy with that data and steals CPU time (5-9% seen, with
      # single frames of 40-50 ms). The second run, on the same data, is the figure quoted.
      bench bigvolume-fresh "${XRUN[@]}" "$STUDIO" --bench-bigvolume --bench-size 2048x2048x1024 \
        --bench-dir "${BIGVOLUME_DIR:-/tmp/cdnet-bench-bigvolume}" --bench-budget-mib 1024
      bench bigvolume "${XRUN[@]}" "$STUDIO" --bench-bigvolume --bench-size 2048x2048x1024 \
        --bench-dir "${BIGVOLUME_DIR:-/tmp/cdnet-bench-bigvolume}" --bench-budget-mib 1024 --bench-cleanup ;;
    memory) bench memory "$CDNET" bench memory --size 4096 --base-width 64 ;;
    analysis256)
      if [ -n "${ANALYSIS_MODEL:-}" ]; then
        bench analysis256 "$CDNET" bench analysis --size 256 --model "$ANALYSIS_MODEL"
      else
        bench analysis256 "$CDNET" bench analysis --size 256 --train-minutes "${ANALYSIS_TRAIN_MINUTES:-15}"
      fi
      ;;
    analysis512) bench analysis512 "$CDNET" bench analysis --size 512 --no-python ;;
    labels) bench labels "$CDNET" bench labels --size 1024 --strokes 1000 ;;
    scale) bench scale "$CDNET" bench scale --size 256,256,32 --tasks 4 ;;
    phantom) bench phantom "$CDNET" bench phantom --size 512 ;;
    views) bench views "${XRUN[@]}" "$STUDIO" --bench-views --bench-sizes 512,1024 ;;
    edit) bench edit "${XRUN[@]}" "$STUDIO" --bench-edit --bench-edit-size 1024 ;;
    latency) bench latency "${XRUN[@]}" "$STUDIO" --bench-latency ;;
    ml)
      if [ -x "$ML" ]; then
        bench ml "$ML" --size 512 --widths 64,16
      else
        echo "== ml: skipped, $ML is missing (configure $BUILD_ML with -DCDNET_ML_ONLY=ON and build cdnet-ml-bench)"
      fi
      ;;
  esac
done
echo "results: $OUT/results.txt"
exit $failed
