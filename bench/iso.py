#!/usr/bin/env python3
"""dicomfs iso against xorriso, side by side, on the same file-set of about 1.2 GB.

Builds (once, cached) a file-set of 9,000 CT-like images of 256 x 256 x 16 bits with the
project's own generator and `dicomfs create --in-place`, then for --runs rounds, each on a
warm page cache (every file is read just before each timed run) and each ending with
`sync` inside the timing:

  dicomfs iso FILESET -o a.iso                          (level 1, Rock Ridge, session and file MD5s)
  xorriso -as mkisofs -iso-level 1 -r --md5 -o b.iso FILESET    (the same settings)
  dicomfs create SOURCE --iso c.iso                    (the one-step main job: scan, DICOMDIR, master)

and prints the best times and the ratios against the media issue's targets: `iso` within
1.1x of xorriso, the one-step `create --iso` within 1.3x of xorriso alone.

Usage: bench/iso.py [--runs 3] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from create import build, warm  # noqa: E402  (shared with the other benchmarks)



def corpus(bin_dir, base):
    path = os.path.join(base, "iso-fileset")
    marker = os.path.join(base, "iso-fileset.complete")
    if not os.path.exists(marker):
        subprocess.run(["rm", "-rf", path], check=True)
        subprocess.run([os.path.join(bin_dir, "dicomfs-samples"), "corpus", path, "--patients", "10", "--studies", "3",
                        "--series", "3", "--images", "100", "--rows", "256", "--cols", "256", "--names", "ids",
                        "--no-extras"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(bin_dir, "dicomfs"), "create", "--in-place", path, "--fileset-id", "BENCH"],
                       check=True, stdout=subprocess.DEVNULL)
        open(marker, "w").close()
    return path


def timed(argv, output):
    if os.path.exists(output):
        os.remove(output)
    start = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    subprocess.run(["sync"], check=True)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"{argv[0]} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-800:]}")
    return wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/dicomfs-bench")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    bin_dir = build()
    fileset = corpus(bin_dir, args.dir)
    size = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(fileset) for n in ns)
    out = os.path.join(args.dir, "out")
    os.makedirs(out, exist_ok=True)
    dicomfs = os.path.join(bin_dir, "dicomfs")
    commands = {
        "dicomfs iso": ([dicomfs, "iso", fileset, "-o", f"{out}/a.iso", "--media", "dvd"], f"{out}/a.iso"),
        "xorriso -as mkisofs": (["xorriso", "-as", "mkisofs", "-quiet", "-iso-level", "1", "-r", "--md5", "-V", "BENCH",
                                 "-o", f"{out}/b.iso", fileset], f"{out}/b.iso"),
        "dicomfs create --iso": ([dicomfs, "create", fileset, "--iso", f"{out}/c.iso", "--media", "dvd", "--fileset-id", "BENCH"],
                                 f"{out}/c.iso"),
    }
    best = {name: float("inf") for name in commands}
    for _ in range(args.runs):
        for name, (argv, output) in commands.items():
            warm(fileset)
            best[name] = min(best[name], timed(argv, output))
    for f in ("a.iso", "b.iso", "c.iso"):
        os.remove(os.path.join(out, f))
    print(f"file-set: {fileset} ({size / 1e9:.2f} GB), best of {args.runs} runs, warm cache, sync included")
    for name, t in best.items():
        print(f"  {name:24s} {t:7.2f} s  {size / t / 1e6:6.0f} MB/s")
    x = best["xorriso -as mkisofs"]
    r1, r2 = best["dicomfs iso"] / x, best["dicomfs create --iso"] / x
    print(f"dicomfs iso / xorriso:          {r1:.2f}x (target <= 1.10x) {'ok' if r1 <= 1.1 else 'MISSED'}")
    print(f"dicomfs create --iso / xorriso: {r2:.2f}x (target <= 1.30x) {'ok' if r2 <= 1.3 else 'MISSED'}")


if __name__ == "__main__":
    main()
