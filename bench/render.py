#!/usr/bin/env python3
"""What the IHE PDI web content costs: `dicomfs create --web` against plain `create` on
100 CT-size images (512 x 512 x 16 bits, the project's own generator), on one core
(taskset -c 0) and on all cores, warm cache, best of --runs; and, side by side, DCMTK's
dcmj2pnm writing one JPEG per file on one core. Target (web content issue): at most about
1 s per 100 CT-size images on one core.

Usage: bench/render.py [--runs 3] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from create import build  # noqa: E402  (shared with the other benchmarks)



def best(argv, runs, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/dicomfs-bench")
    args = ap.parse_args()
    bin_dir = build()
    src = os.path.join(args.dir, "render-src")
    if not os.path.exists(src):
        subprocess.run([os.path.join(bin_dir, "dicomfs-samples"), "corpus", src, "--patients", "1", "--studies", "1", "--series", "1",
                        "--images", "100", "--rows", "512", "--cols", "512", "--names", "ids", "--no-extras"], check=True,
                       stdout=subprocess.DEVNULL)
    files = [os.path.join(d, n) for d, _, ns in os.walk(src) for n in ns]
    out = os.path.join(args.dir, "render-out")

    def clean():
        shutil.rmtree(out, ignore_errors=True)
        for f in files:
            with open(f, "rb") as h:
                h.read()

    dicomfs = os.path.join(bin_dir, "dicomfs")
    one = ["taskset", "-c", "0"]
    plain1 = best(one + [dicomfs, "create", src, "-o", out], args.runs, clean)
    web1 = best(one + [dicomfs, "create", src, "-o", out, "--web"], args.runs, clean)
    plain = best([dicomfs, "create", src, "-o", out], args.runs, clean)
    web = best([dicomfs, "create", src, "-o", out, "--web"], args.runs, clean)
    jpgdir = os.path.join(args.dir, "render-dcmtk")
    os.makedirs(jpgdir, exist_ok=True)
    script = "for f in \"$@\"; do dcmj2pnm --write-jpeg +Wm \"$f\" " + jpgdir + "/$(basename \"$f\").jpg; done"
    dcmtk = best(one + ["sh", "-c", script, "sh"] + files, args.runs, clean)
    print(f"{len(files)} images of 512 x 512 x 16 bits, best of {args.runs}")
    print(f"  one core:  create {plain1:.2f} s, create --web {web1:.2f} s: web content adds {web1 - plain1:.2f} s (target <= ~1 s)")
    print(f"  all cores: create {plain:.2f} s, create --web {web:.2f} s: web content adds {web - plain:.2f} s")
    print(f"  dcmj2pnm, one JPEG per file, one core: {dcmtk:.2f} s ({dcmtk / max(web1 - plain1, 1e-6):.1f}x our added time)")


if __name__ == "__main__":
    main()
