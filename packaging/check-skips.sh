#!/usr/bin/env bash
# Lists the tests CTest skipped, with the reason each printed, from CTest's JUnit report
# (ctest --output-junit FILE). Under CI (CI=true) it fails unless every skipped test is on
# tests/skip-allowlist.txt with a reason its output contains. CTest itself exits 0 when tests
# skip (a skip is exit code 77 of a MAY_SKIP test, see tests/CMakeLists.txt), so without this a
# missing GPU, Slurm or Python torch would pass silently.
#   packaging/check-skips.sh BUILD/Testing/ctest-junit.xml
set -euo pipefail

report=${1:?usage: check-skips.sh JUNIT_XML}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
allowlist=${SKIP_ALLOWLIST:-$here/tests/skip-allowlist.txt}
[ -f "$report" ] || { echo "check-skips: no CTest report $report" >&2; exit 1; }

# "name<TAB>reason" for every skipped test case; the reason is the test's "skipped: ..." line.
skipped=$(awk '
  function unxml(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
    gsub(/&amp;/, "\\&", s); return s
  }
  function flush() { if (name != "" && skip) print name "\t" (reason == "" ? "(no reason printed)" : reason) }
  /<testcase name="/ {
    flush(); skip = 0; reason = ""
    name = $0; sub(/.*<testcase name="/, "", name); sub(/".*/, "", name); name = unxml(name)
  }
  /<skipped/ { skip = 1 }
  /skipped: / && reason == "" { reason = $0; sub(/.*skipped: /, "", reason); reason = unxml(reason) }
  END { flush() }
' "$report")

if [ -z "$skipped" ]; then
  echo "check-skips: no test was skipped"
  exit 0
fi
echo "check-skips: skipped tests and their reasons:"
bad=0
while IFS=$'\t' read -r name reason; do
  allowed=$(awk -v n="$name" '!/^[[:space:]]*(#|$)/ && $1 == n { sub(/^[[:space:]]*[^[:space:]]+[[:space:]]+/, ""); print; exit }' \
    "$allowlist" 2>/dev/null || true)
  if [ -n "$allowed" ] && [[ "$reason" == *"$allowed"* ]]; then
    echo "  $name: $reason (allowed: $allowed)"
  else
    echo "  $name: $reason (NOT on $(basename "$allowlist"))"
    bad=1
  fi
done <<< "$skipped"

if [ "${CI:-}" = true ] && [ $bad -ne 0 ]; then
  echo "check-skips: under CI only the tests on tests/skip-allowlist.txt may skip, for the reason given there" >&2
  exit 1
fi
exit 0
