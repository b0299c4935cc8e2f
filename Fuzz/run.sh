#!/usr/bin/env bash
# Builds the Part 10 reader fuzzer with libFuzzer + AddressSanitizer (leak checks on) and
# runs it for SECONDS (default 60), seeded with Fuzz/seeds and, when installed, pydicom's
# test files. CI runs a short session; for a long one: Fuzz/run.sh 3600 (or -jobs=N via
# FUZZ_ARGS). Crashes are written to Fuzz/out/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
mkdir -p .build/fuzz Fuzz/out
bin=.build/fuzz/part10-fuzz
if [ ! -x "$bin" ] || [ -n "$(find Sources/DICOM Fuzz/Part10Fuzz.swift -newer "$bin" -name '*.swift' | head -1)" ]; then
  echo "building fuzzer…"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name DICOMFuzz \
    $(find Sources/DICOM -name '*.swift' | sort) Fuzz/Part10Fuzz.swift \
    -I Sources/SystemZlib -o "$bin"
fi
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp Fuzz/seeds/* "$corpus"/
pyfiles=$(python3 - <<'PY' 2>/dev/null || true
import os, pydicom
d = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
for root, _, names in os.walk(d):
    for n in names:
        p = os.path.join(root, n)
        if os.path.getsize(p) < 200_000 and not n.endswith((".py", ".pyc")):
            print(p)
PY
)
for f in $pyfiles; do cp "$f" "$corpus/$(basename "$f")" 2>/dev/null || true; done
echo "fuzzing for ${seconds}s with $(ls "$corpus" | wc -l) seeds"
SWIFT_BACKTRACE=enable=no "$bin" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
  -artifact_prefix=Fuzz/out/ -print_final_stats=1 ${FUZZ_ARGS:-} 2>&1 | tail -25
