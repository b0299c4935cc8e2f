#!/usr/bin/env python3
"""What the IHE PDI web content costs: `dicomfs create --web` against plain `create` on
100 CT-size images (512 x 512 x 16 bits, the project's own generator), on one core
(taskset -c 0) and on all cores, warm cache, alternated (bench/harness.py: a warm-up of
each, then --pairs pairs; medians of per-pair differences and ratios); and, alternated with
it, DCMTK's dcmj2pnm writing one JPEG per file on one core. Target (web content issue): at most about
1 s per 100 CT-size images on one core.

Usage: bench/render.py [--pairs 5] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from create import build  # noqa: E402
from harness import Command, alternate, machine, show  # noqa: E402
import statistics  # noqa: E402



def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=5)
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
    jpgdir = os.path.join(args.dir, "render-dcmtk")
    os.makedirs(jpgdir, exist_ok=True)
    script = "for f in \"$@\"; do dcmj2pnm --write-jpeg +Wm \"$f\" " + jpgdir + "/$(basename \"$f\").jpg; done"
    print(f"machine: {machine()}; {len(files)} images of 512 x 512 x 16 bits; cache: warm")
    lines = []
    for label, prefix in (("one core", one), ("all cores", [])):
        web = Command("create--web", prefix + [dicomfs, "create", src, "-o", out, "--web"], before=clean)
        plain = Command("create", prefix + [dicomfs, "create", src, "-o", out], before=clean)
        c = alternate(web, plain, pairs=args.pairs)
        show(c, f"{label}: create --web vs create")
        added = statistics.median(x.wall - y.wall for x, y in zip(c.runs_a, c.runs_b))
        lines.append(f"  {label}: web content adds {added:.2f} s (median of per-pair differences{'; target <= ~1 s' if prefix else ''})")
    web = Command("create--web", one + [dicomfs, "create", src, "-o", out, "--web"], before=clean)
    dcmtk = Command("dcmj2pnm", one + ["sh", "-c", script, "sh"] + files, before=clean)
    show(alternate(web, dcmtk, pairs=args.pairs), "one core: dicomfs create --web vs dcmj2pnm one JPEG per file")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
