#!/usr/bin/env bash
# The GPU path of issue 15 in one run, for a bare GPU machine: LibTorch inside Python's torch,
# cmake and ninja; no Qt, VTK, ITK, OpenCV or HDF5 (the ML-only build, CDNET_ML_ONLY=ON, needs none).
#
#   packaging/gpu-check.sh OUTDIR [--cpu-dry-run] [--build-dir DIR] [--budget SECONDS] [--no-torch-package]
#
# Steps, each limited by `timeout` and recorded (a failing step does not stop the run):
#   info       nvidia-smi, torch's version and CUDA, cores, cmake
#   configure  cmake -G Ninja -DCDNET_ML_ONLY=ON -DCMAKE_PREFIX_PATH=<torch.utils.cmake_prefix_path>;
#              when that fails (a CUDA torch's CMake package wants the CUDA toolkit), again with
#              -DCDNET_TORCH_ROOT=<the torch folder> (cmake/CDNetDependencies.cmake); --no-torch-package
#              goes there at once
#   build      every target, all cores, keep going past a failing one
#   tests      ctest -L gpu (test_ml_gpu with CUDA; it exits 77, skipped, without a GPU)
#   bench      cdnet-ml-bench: CPU section, then the GPU's matmul peak, inference over tiles and
#              batches (bf16, channels-last, cuDNN autotuning), training steps/s; `result:` line
# --cpu-dry-run checks the script itself where there is no GPU: any LibTorch (Debian's), the CTest
# entry skips, test_ml_gpu --on-cpu runs the cases with the CPU standing in, and the bench runs its
# device sections on the CPU at tiny sizes. Nothing it prints is a GPU result.
# OUTDIR receives log.txt (everything), results.json (steps with exit codes and seconds, test
# cases, the bench's keys), bench.json and junit.xml. The run ends within --budget seconds
# (default 360; 1500 for a dry run) whatever hangs: each step gets at most what is left of it.
set -uo pipefail

usage() {
  echo "usage: gpu-check.sh OUTDIR [--cpu-dry-run] [--build-dir DIR] [--budget SECONDS] [--no-torch-package]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
out=$1; shift
dry=0
nopackage=0
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=
budget=
while [ $# -gt 0 ]; do
  case $1 in
    --cpu-dry-run) dry=1 ;;
    --build-dir) build=${2:?}; shift ;;
    --budget) budget=${2:?}; shift ;;
    --no-torch-package) nopackage=1 ;;
    *) usage ;;
  esac
  shift
done
[ -n "$build" ] || build=$src/build-gpu$([ $dry -eq 1 ] && echo -dry)
[ -n "$budget" ] || budget=$([ $dry -eq 1 ] && echo 1500 || echo 360) # a 2-core machine builds slowly
mkdir -p "$out" "$(dirname "$build")" || exit 1
out=$(cd "$out" && pwd)
build=$(cd "$(dirname "$build")" && pwd)/$(basename "$build")
log=$out/log.txt
steps=$out/.steps.tsv
: >"$log"
: >"$steps"
start=$(date +%s)
deadline=$((start + budget))
cores=$(nproc 2>/dev/null || echo 2)

say() { echo "== $*" | tee -a "$log"; }

# step NAME LIMIT COMMAND...: runs COMMAND with at most LIMIT seconds (or what is left of the
# budget, keeping 10 s for the report), logs its output and records "name rc seconds".
step() {
  local name=$1 limit=$2; shift 2
  local left=$((deadline - $(date +%s) - 10))
  [ "$left" -lt "$limit" ] && limit=$left
  if [ "$limit" -le 0 ]; then
    say "$name: not run (the budget of ${budget}s is spent)"
    printf '%s\t%s\t%s\n' "$name" "not-run" 0 >>"$steps"
    return 1
  fi
  say "$name (limit ${limit}s): $*"
  local t0 rc
  t0=$(date +%s)
  timeout --kill-after=5 "$limit" "$@" >>"$log" 2>&1
  rc=$?
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && say "$name: TIMED OUT after ${limit}s"
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(($(date +%s) - t0))" >>"$steps"
  say "$name: exit $rc after $(($(date +%s) - t0))s"
  return $rc
}

# Python with torch: the image's python3 on the GPU machine; Debian's for the dry run.
py=
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch' >/dev/null 2>&1; then py=$p; break; fi
done

info() {
  echo "date: $(date -u +%FT%TZ)  host: $(hostname)  cores: $cores  dry run: $dry"
  echo "source: $src ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
  command -v nvcc >/dev/null && nvcc --version | tail -2
  [ -n "$py" ] && "$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), "abi", torch._C._GLIBCXX_USE_CXX11_ABI, "cmake", torch.utils.cmake_prefix_path)'
  cmake --version | head -1
  command -v ninja >/dev/null && echo "ninja $(ninja --version)"
  return 0
}
export src cores dry py
export -f info
step info 20 bash -c info

# A CUDA toolkit that is installed but not on PATH (Torch's CMake package looks for nvcc).
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then export PATH=/usr/local/cuda/bin:$PATH; fi
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0} # the H100/H200 (Hopper); spares Torch's arch detection
gen=(-G Ninja)
command -v ninja >/dev/null 2>&1 || gen=()
prefix=
torchdir=
abi=1
if [ -n "$py" ]; then
  p=$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)
  [ -f "$p/Torch/TorchConfig.cmake" ] && prefix=$p
  torchdir=$("$py" -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>/dev/null)
  abi=$("$py" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null || echo 1)
fi
common=(-S "$src" "${gen[@]}" -DCDNET_ML_ONLY=ON -DCMAKE_BUILD_TYPE=Release)
configured=0
if [ $nopackage -eq 0 ] && step configure 90 cmake "${common[@]}" -B "$build" ${prefix:+-DCMAKE_PREFIX_PATH=$prefix}; then
  configured=1
elif [ -n "$torchdir" ] && [ -d "$torchdir/include" ]; then
  build=$build-manual
  step configure-without-torch-package 60 cmake "${common[@]}" -B "$build" -DCDNET_TORCH_ROOT="$torchdir" \
    -DCDNET_TORCH_CXX11_ABI="$abi" && configured=1
fi
# Warnings of our configure (not of Torch's package) are worth a look: list them at the end.

if [ $configured -eq 1 ]; then
  step build $([ $dry -eq 1 ] && echo 900 || echo 240) cmake --build "$build" -j "$cores" -- -k 0
  if [ $dry -eq 1 ]; then
    step tests 60 ctest --test-dir "$build" -L gpu -V --output-junit "$out/junit.xml"
    step test-on-cpu 300 "$build/test_ml_gpu" --on-cpu
    step bench 120 "$build/core/ml/bench/cdnet-ml-bench" --size 64 --reps 1 --widths 8 --gpu-on-cpu \
      --json "$out/bench.json"
  else
    step tests 150 ctest --test-dir "$build" -L gpu -V --output-junit "$out/junit.xml"
    # --time-limit: grid points beyond 120 s of device sections are left out (and counted), so
    # that the training measurement and the result line come before the step's limit.
    step bench 200 "$build/core/ml/bench/cdnet-ml-bench" --size 512 --reps 3 --time-limit 120 --json "$out/bench.json"
  fi
fi

# results.json: the steps, the test cases' PASS/FAIL lines, the bench's keys.
{
  echo "{"
  echo "  \"dry_run\": $([ $dry -eq 1 ] && echo true || echo false),"
  echo "  \"seconds\": $(($(date +%s) - start)),"
  echo "  \"steps\": ["
  sep=
  while IFS=$'\t' read -r name rc secs; do
    [ "$rc" = not-run ] && rc=null
    printf '%s    {"name": "%s", "exit": %s, "seconds": %s}' "$sep" "$name" "$rc" "$secs"
    sep=$',\n'
  done <"$steps"
  printf '\n  ],\n  "test_cases": ['
  sep=
  # ctest -V prefixes the test's lines with "N: ".
  grep -E '^([0-9]+: )?(PASS|FAIL) ' "$log" | sed -E 's/^[0-9]+: //; s/\\/\\\\/g; s/"/\\"/g' | while IFS= read -r line; do
    printf '%s\n    "%s"' "$sep" "$line"
    sep=,
  done
  printf '\n  ],\n  "bench": '
  if [ -s "$out/bench.json" ]; then cat "$out/bench.json"; else echo null; fi
  echo "}"
} >"$out/results.json"
failed=$(awk -F'\t' '$2 != 0 { printf "%s%s", s, $1; s = " " }' "$steps")
rm -f "$steps"
warnings=$(grep -A3 -E "CMake Warning.*(CMakeLists|cmake/CDNet|MlGpuTest)" "$log" | head -40)
say "warnings from the project's own CMake files: ${warnings:-none}"
grep -E '^([0-9]+: )?(FAIL |result: )' "$log" | tail -n 20
say "done in $(($(date +%s) - start))s; results in $out; failed steps: ${failed:-none}"
[ -z "$failed" ]
