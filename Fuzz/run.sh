#!/usr/bin/env bash
# Fuzzes dicomfs's readers of untrusted input with libFuzzer + AddressSanitizer:
#   Fuzz/run.sh [SECONDS] [TARGET…]     (default 60 s each; targets part10 dicomdir iso mime zip pdu)
# part10 also renders every input that parses (icon and web sizes). Seeds: Fuzz/seeds, the
# images in Tests/dicomfsTests/Fixtures that once made a reader spin, a file-set, ISO image,
# MIME message, its fragments and a ZIP made from the samples by the dicomfs built here, and
# pydicom's test files when installed. Each run stops by itself
# (-max_total_time), refuses inputs over 10 s (-timeout) or 2 GB (-rss_limit_mb, and
# -malloc_limit_mb=1024 for any single allocation). Findings go to Fuzz/out/TARGET-… and
# make the script fail; executions and coverage are printed per target. FUZZ_BUILD names
# another build folder (.build-fuzz by default; a .build-* folder, ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(part10 dicomdir iso mime zip pdu)
mkdir -p Fuzz/out
export DICOMFS_FUZZ=1
echo "building the fuzzer (release, fuzzer + address sanitizers)…"
log=$(mktemp)
# SwiftPM passes -sanitize=fuzzer and -sanitize=address to swiftc as two flags, and the
# last one wins: the Swift modules got AddressSanitizer but no coverage counters. The
# coverage is asked for explicitly.
if ! swift build -c release --scratch-path "${FUZZ_BUILD:-.build-fuzz}" --sanitize fuzzer --sanitize address \
     -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --product dicomfs-fuzz >"$log" 2>&1; then
  grep -E "error" "$log" >&2; rm -f "$log"; echo "fuzzer build failed" >&2; exit 1
fi
rm -f "$log"
bin="${FUZZ_BUILD:-.build-fuzz}/release/dicomfs-fuzz"
# A fuzzer without coverage is a random-input loop that finds little and says nothing. The
# Swift code must be instrumented: libFuzzer then reports coverage ("INITED cov: N") for
# the bundled samples on the part10 target. Stop when it does not.
cov=$(DICOMFS_FUZZ_TARGET=part10 SWIFT_BACKTRACE=enable=no "$bin" -runs=1 samples 2>&1 | sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' | head -1)
echo "coverage of the samples on part10: ${cov:-none}"
if [ "${cov:-0}" -lt 1000 ]; then
  echo "the fuzzer's Swift code is not instrumented for coverage (cov ${cov:-none}); remove ${FUZZ_BUILD:-.build-fuzz} and run again" >&2
  exit 1
fi
unset DICOMFS_FUZZ
swift build -c release --product dicomfs 2>&1 | grep -E "error" || true
dicomfs=.build/release/dicomfs

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Seeds of every kind, made from the bundled samples with our own writer.
"$dicomfs" create samples -o "$work/set" >/dev/null
"$dicomfs" iso "$work/set" -o "$work/set.iso" >/dev/null
"$dicomfs" zip "$work/set" -o "$work/set.zip" >/dev/null
"$dicomfs" mime export "$work/set" -o "$work/set.mime" >/dev/null
"$dicomfs" mime export "$work/set" -o "$work/part.mime" --max-size 16KB >/dev/null
for t in "${targets[@]}"; do mkdir -p "$work/$t"; done
seed() { local t=$1; shift; [ -d "$work/$t" ] && cp "$@" "$work/$t/" 2>/dev/null || true; }
seed part10 Fuzz/seeds/*
seed dicomdir "$work/set/DICOMDIR"
seed iso "$work/set.iso"
# Images that once made a reader spin (the tests' fixtures): the campaign starts from them.
if [ -d "$work/iso" ]; then
  for f in Tests/dicomfsTests/Fixtures/*.iso.gz; do gzip -dc "$f" > "$work/iso/$(basename "$f" .gz)"; done
fi
seed mime "$work/set.mime" "$work"/part.mime.*
seed zip "$work/set.zip"
if [ -d "$work/pdu" ]; then
  # A-ASSOCIATE-RQ (Verification and CT Image Storage), a C-ECHO-RQ in two command fragments,
  # a C-STORE-RQ with a data fragment, A-RELEASE-RQ: one stream, as a peer sends it.
  python3 - "$work/pdu/stream" <<'PY'
import struct, sys
def item(t, v): return bytes([t, 0]) + struct.pack(">H", len(v)) + v
def pdu(t, body): return bytes([t, 0]) + struct.pack(">I", len(body)) + body
def pc(i, a, ts): return item(0x20, bytes([i, 0, 0, 0]) + item(0x30, a) + b"".join(item(0x40, t) for t in ts))
user = item(0x50, item(0x51, struct.pack(">I", 16384)) + item(0x52, b"1.2.3.4") + item(0x55, b"SEED"))
rq = struct.pack(">HH", 1, 0) + b"DICOMFS".ljust(16) + b"SEED".ljust(16) + bytes(32) + item(0x10, b"1.2.840.10008.3.1.1.1") \
    + pc(1, b"1.2.840.10008.1.1", [b"1.2.840.10008.1.2"]) + pc(3, b"1.2.840.10008.5.1.4.1.1.2", [b"1.2.840.10008.1.2", b"1.2.840.10008.1.2.1"]) + user
def el(g, e, v): return struct.pack("<HHI", g, e, len(v)) + v
def us(g, e, n): return el(g, e, struct.pack("<H", n))
def ui(g, e, s): return el(g, e, s + (b"\0" if len(s) % 2 else b""))
echo = ui(0, 2, b"1.2.840.10008.1.1") + us(0, 0x100, 0x30) + us(0, 0x110, 1) + us(0, 0x800, 0x101)
echo = el(0, 0, struct.pack("<I", len(echo))) + echo
def pdv(ctx, mch, frag): return struct.pack(">I", len(frag) + 2) + bytes([ctx, mch]) + frag
store = ui(0, 2, b"1.2.840.10008.5.1.4.1.1.2") + us(0, 0x100, 1) + us(0, 0x110, 2) + us(0, 0x700, 0) + us(0, 0x800, 0) + ui(0, 0x1000, b"1.2.3.4.5")
store = el(0, 0, struct.pack("<I", len(store))) + store
data = ui(8, 0x16, b"1.2.840.10008.5.1.4.1.1.2") + ui(8, 0x18, b"1.2.3.4.5") + el(0x10, 0x10, b"Doe^John")
out = pdu(1, rq) + pdu(4, pdv(1, 1, echo[:10]) + pdv(1, 3, echo[10:])) + pdu(4, pdv(3, 3, store)) + pdu(4, pdv(3, 2, data)) + pdu(5, bytes(4))
open(sys.argv[1], "wb").write(out)
PY
fi
if [ -d "$work/part10" ]; then
  python3 - "$work/part10" "$work/dicomdir" <<'PY' 2>/dev/null || true
import os, shutil, sys, pydicom
d = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
for root, _, names in os.walk(d):
    for n in names:
        p = os.path.join(root, n)
        if os.path.getsize(p) < 200_000 and not n.endswith((".py", ".pyc")):
            shutil.copy(p, os.path.join(sys.argv[1], n))
            if "DICOMDIR" in n.upper() and os.path.isdir(sys.argv[2]):
                shutil.copy(p, os.path.join(sys.argv[2], n + "-" + str(abs(hash(root)))))
PY
fi

status=0
for t in "${targets[@]}"; do
  echo "== fuzzing $t for ${seconds}s with $(ls "$work/$t" | wc -l) seeds"
  log="$work/$t.log"
  if ! LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0" DICOMFS_FUZZ_TARGET=$t SWIFT_BACKTRACE=enable=no "$bin" "$work/$t" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=262144 -artifact_prefix="Fuzz/out/$t-" -print_final_stats=1 \
       ${FUZZ_ARGS:-} >"$log" 2>&1; then
    status=1
    echo "$t: FINDING (see Fuzz/out/$t-*)"
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^Done|^#[0-9]+ +DONE|ERROR|SUMMARY|Test unit written" "$log" | tail -8 || true
done
exit $status
