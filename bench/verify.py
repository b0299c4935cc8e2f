#!/usr/bin/env python3
"""dicomfs verify against cat of every byte of the set, alternated, on the 75,000-file
corpus of bench/create.py.

Target (issue #22): verify within 1.2x of the time to cat all the file-set's bytes, peak RSS
no more than the DICOMDIR's records need. Warm page cache before every run; a warm-up of
each, then --pairs alternated pairs (bench/harness.py); the median of per-pair ratios.

Usage: bench/verify.py [--pairs 5] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import create  # noqa: E402
from harness import Command, alternate, machine, show, warm  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/dicomfs-bench"))
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    bin_dir = create.build()
    path, files = create.corpus(bin_dir, args.dir, "large")
    dicomfs = os.path.join(bin_dir, "dicomfs")
    if not os.path.exists(os.path.join(path, "DICOMDIR")):
        subprocess.run([dicomfs, "create", "--in-place", path], check=True, stdout=subprocess.DEVNULL)
    print(f"machine: {machine()}; cache: warm (every file read before every run)")
    ver = Command("verify", [dicomfs, "verify", path, "-q"], cwd=path, before=lambda: warm(path))
    cat = Command("cat", ["sh", "-c", "find . -type f -exec cat {} + > /dev/null"], cwd=path, before=lambda: warm(path))
    c = alternate(ver, cat, pairs=args.pairs)
    show(c, f"{files} files")
    slower = 1 / c.median("wall")
    print(f"verify takes {slower:.2f}x the time of cat (median of pairs; target <= 1.2x): "
          f"{'meets' if slower <= 1.2 else 'MISSES'} the target; verify peak RSS {c.typical('a', 'rss_mb'):.0f} MB")


if __name__ == "__main__":
    main()
