#!/usr/bin/env bash
# Regenerates the screenshots of the user guide (docs/images/*.png) from the current build, so
# that they always show what the program shows today.
#   packaging/make-screenshots.sh            uses build/app/cdnet-studio and build/app/cdnet
#   BUILD_DIR=other packaging/make-screenshots.sh
# Needs xvfb-run (package xvfb) when there is no display; every studio screenshot is taken with
# `cdnet-studio --screenshot FILE ...` in a fresh settings folder at the default 1280 x 800 size.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
studio=$build_dir/app/cdnet-studio
cli=$build_dir/app/cdnet
images=$here/docs/images
for exe in "$studio" "$cli"; do
  [ -x "$exe" ] || { echo "make-screenshots: $exe is missing: build first (cmake --build build)" >&2; exit 1; }
done
mkdir -p "$images"

# Fresh settings (no remembered window geometry or recent files), removed on exit.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME=$scratch XDG_CONFIG_HOME=$scratch/config XDG_RUNTIME_DIR=$scratch/run
mkdir -m 700 "$XDG_RUNTIME_DIR"

run_x() {
  if command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1280x800x24" "$@"
  else
    "$@"
  fi
}

shot() { # shot NAME ARGS...: one studio screenshot into docs/images/NAME
  local name=$1
  shift
  echo "make-screenshots: $name"
  run_x "$studio" --screenshot "$images/$name" "$@" > /dev/null
}

shot studio-demo.png --demo                 # the window on the demo phantom (English)

# Every panel in English, German and Chinese at 1280 x 800 (check that no action is cut off):
# studio-en.png shows Train and predict, studio-en-tools.png, -display, -statistics the others.
if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "make-screenshots: no Chinese font (apt-get install fonts-wqy-microhei): the zh shots would show boxes" >&2
  exit 1
fi
for lang in en de zh_CN; do
  short=${lang%%_*}
  shot "studio-$short.png" --lang "$lang" --panel training --demo
  for panel in tools display statistics; do
    shot "studio-$short-$panel.png" --lang "$lang" --panel "$panel" --demo
  done
done

# The Train & predict dock after a short training on a phantom (about a minute).
echo "make-screenshots: studio-training.png"
run_x "$studio" --screenshot-training "$images/studio-training.png" > /dev/null

# The Statistics panel after a particle analysis of a phantom, one particle selected.
echo "make-screenshots: studio-statistics.png"
run_x "$studio" --screenshot-statistics "$images/studio-statistics.png" > /dev/null

# Painted labels need mouse work: the GUI test that paints them (and checks every stroke) saves the
# window when CDNET_SCREENSHOT names a file.
labels_test=$build_dir/tests/ui/test_studio_labels
if [ -x "$labels_test" ]; then
  echo "make-screenshots: studio-labels.png"
  CDNET_SCREENSHOT=$images/studio-labels.png run_x "$labels_test" screenshotAfterPainting > /dev/null
else
  echo "make-screenshots: skipping studio-labels.png: build test_studio_labels first" >&2
fi

# The phantom's middle slice, its crack mask and particles (a picture of the command line's output).
echo "make-screenshots: phantom.png"
"$cli" phantom --out "$scratch/phantom" --size 256,256,64 --preview "$images/phantom.png" > /dev/null

echo "make-screenshots: done; images in $images"
