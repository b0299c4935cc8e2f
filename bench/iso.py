#!/usr/bin/env python3
"""dicomfs iso against xorriso, side by side, on the same file-set of about 1.2 GB.

Builds (once, cached) a file-set of 9,000 CT-like images of 256 x 256 x 16 bits with the
project's own generator and `dicomfs create --in-place`, then for --runs rounds, each on a
warm page cache (every file is read just before each timed run) and each ending with
`sync` inside the timing, alternated with xorriso (bench/harness.py: a warm-up of each,
then --pairs pairs A B A B ...; medians of per-pair ratios with min-max):

  dicomfs iso FILESET -o a.iso                          (level 1, Rock Ridge, session and file MD5s)
  xorriso -as mkisofs -iso-level 1 -r --md5 -o b.iso FILESET    (the same settings)
  dicomfs create SOURCE --iso c.iso                    (the one-step main job: scan, DICOMDIR, master)

and prints the ratios against the media issue's targets: `iso` within 1.1x of xorriso, the
one-step `create --iso` within 1.3x of xorriso alone.

Usage: bench/iso.py [--pairs 5] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from create import build  # noqa: E402
from harness import Command, alternate, machine, show, warm  # noqa: E402


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


def synced(name, argv, output, fileset):
    """argv then sync, timed together; the output removed and the source warmed before."""
    def before():
        if os.path.exists(output):
            os.remove(output)
        warm(fileset)
    quoted = " ".join("'" + a.replace("'", "'\\''") + "'" for a in argv)
    return Command(name, ["sh", "-c", quoted + " && sync"], before=before, after=lambda: os.remove(output))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/dicomfs-bench")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    bin_dir = build()
    fileset = corpus(bin_dir, args.dir)
    size = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(fileset) for n in ns)
    out = os.path.join(args.dir, "out")
    os.makedirs(out, exist_ok=True)
    dicomfs = os.path.join(bin_dir, "dicomfs")
    iso = synced("iso", [dicomfs, "iso", fileset, "-o", f"{out}/a.iso", "--media", "dvd"], f"{out}/a.iso", fileset)
    xorriso = synced("xorriso", ["xorriso", "-as", "mkisofs", "-quiet", "-iso-level", "1", "-r", "--md5", "-V", "BENCH",
                                 "-o", f"{out}/b.iso", fileset], f"{out}/b.iso", fileset)
    create_iso = synced("create--iso", [dicomfs, "create", fileset, "--iso", f"{out}/c.iso", "--media", "dvd", "--fileset-id", "BENCH"],
                        f"{out}/c.iso", fileset)
    print(f"machine: {machine()}; file-set {size / 1e9:.2f} GB; cache: warm; sync inside the timing")
    a = alternate(iso, xorriso, pairs=args.pairs)
    show(a, "dicomfs iso vs xorriso -as mkisofs")
    b = alternate(create_iso, xorriso, pairs=args.pairs)
    show(b, "dicomfs create --iso vs xorriso -as mkisofs")
    r1, r2 = 1 / a.median("wall"), 1 / b.median("wall")
    print(f"dicomfs iso / xorriso:          {r1:.2f}x (median of pairs; target <= 1.10x) {'ok' if r1 <= 1.1 else 'MISSED'}")
    print(f"dicomfs create --iso / xorriso: {r2:.2f}x (median of pairs; target <= 1.30x) {'ok' if r2 <= 1.3 else 'MISSED'}")


if __name__ == "__main__":
    main()
