#!/usr/bin/env python3
"""dicomfs verify against cat, on the 75,000-file corpus of bench/create.py.

Target of the verify issue: verify within 2x of the time to cat all the file-set's bytes.
Both run on a warm page cache; best of --runs each. Prints the ratio.

Usage: bench/verify.py [--runs 3] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import create  # noqa: E402  (corpus building and timing are shared)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/dicomfs-bench"))
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    bin_dir = create.build()
    path, files = create.corpus(bin_dir, args.dir, "large")
    dicomfs = os.path.join(bin_dir, "dicomfs")
    if not os.path.exists(os.path.join(path, "DICOMDIR")):
        subprocess.run([dicomfs, "create", "--in-place", path], check=True, stdout=subprocess.DEVNULL)
    cat, ver = [], []
    for _ in range(args.runs):
        create.warm(path)
        cat.append(create.timed(["sh", "-c", "find . -type f -exec cat {} + > /dev/null"], cwd=path))
        create.warm(path)
        ver.append(create.timed([dicomfs, "verify", path, "-q"], cwd=path))
    c, v = min(t for t, _ in cat), min(t for t, _ in ver)
    rss = min(m for _, m in ver)
    print(f"{files} files: cat {c:.2f} s, verify {v:.2f} s ({rss:.0f} MB): verify takes {v / c:.2f}x the time of cat "
          f"(target <= 2x): {'meets' if v / c <= 2 else 'MISSES'} the target")


if __name__ == "__main__":
    main()
