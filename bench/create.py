#!/usr/bin/env python3
"""dicomfs create --in-place against dcmmkdir (or against another dicomfs binary), alternated.

Builds corpora of 7,750 and 75,000 small files whose paths are valid File IDs (with the
project's own generator, `dicomfs-samples corpus`), then for each corpus runs the two
commands alternately (bench/harness.py: a warm-up of each, then A B A B ... for --pairs
pairs) and quotes the median of the per-pair ratios with min-max, for wall time, user+sys
CPU and peak RSS. Before every run the DICOMDIR is removed and, by default, every file read
(warm page cache); --cold drops the page cache instead (root only; the case of a folder just
copied from a USB disk or a share).

  --against PATH   compare with another dicomfs binary instead of dcmmkdir (a regression
                   check: the same corpus, the same command, old binary vs new); the two
                   DICOMDIRs (same fixed File-set UID) must then be byte-identical.
  --linearity      dicomfs alone on the sizes given (e.g. large,million), --pairs runs each,
                   warm: median wall, CPU and peak RSS, and each per 75,000 files. (No peer:
                   a trend, not a ratio; dcmmkdir would take an hour on a million files.)

Targets (issue #22): 75k files, warm: median wall <= 0.55 s, >= 25x dcmmkdir, peak RSS
<= 0.4x dcmmkdir's; cold: a ratio at least the warm one.

Usage: bench/create.py [--sizes small,large] [--pairs 5] [--cold] [--against BIN] [--dir D]
"""
import argparse
import filecmp
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Command, alternate, can_drop_caches, drop_caches, machine, show, warm  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = {
    # name: (patients, studies, series, images) -> files
    "small": (31, 5, 5, 10),     # 7,750
    "large": (30, 5, 5, 100),    # 75,000
    "million": (400, 5, 5, 100),  # 1,000,000 (for --linearity)
}
UID = "1.2.826.0.1.3680043.10.543.22"


def build():
    for product in ("dicomfs", "dicomfs-samples"):
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release")


def corpus(bin_dir, base, name):
    p, s, r, i = SIZES[name]
    path = os.path.join(base, name)
    marker = os.path.join(base, f"{name}.complete")
    if not os.path.exists(marker):
        subprocess.run(["rm", "-rf", path], check=True)
        subprocess.run([os.path.join(bin_dir, "dicomfs-samples"), "corpus", path, "--patients", str(p), "--studies", str(s),
                        "--series", str(r), "--images", str(i), "--rows", "32", "--cols", "32", "--names", "ids",
                        "--no-extras"], check=True, stdout=subprocess.DEVNULL)
        open(marker, "w").close()
    return path, p * s * r * i


def preparer(path, cold):
    """Before each run: the DICOMDIR removed, the cache dropped (cold) or every file read."""
    def prepare():
        dicomdir = os.path.join(path, "DICOMDIR")
        if os.path.exists(dicomdir):
            os.remove(dicomdir)
        drop_caches() if cold else warm(path)
    return prepare


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="small,large")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--cold", action="store_true")
    ap.add_argument("--against", help="another dicomfs binary to compare with, instead of dcmmkdir")
    ap.add_argument("--linearity", action="store_true")
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/dicomfs-bench"))
    args = ap.parse_args()
    if args.linearity:
        return linearity(args)
    if args.cold and not can_drop_caches():
        print("--cold needs root and a writable /proc/sys/vm/drop_caches; skipped (nothing measured)")
        return
    os.makedirs(args.dir, exist_ok=True)
    bin_dir = build()
    print(f"machine: {machine()}; cache: {'cold (dropped before every run)' if args.cold else 'warm (every file read before every run)'}")
    summary = []
    for name in args.sizes.split(","):
        path, files = corpus(bin_dir, args.dir, name)
        dicomdir = os.path.join(path, "DICOMDIR")
        prepare = preparer(path, args.cold)

        def keep(where):
            return lambda: os.replace(dicomdir, os.path.join(args.dir, where))

        ours = Command("dicomfs", [os.path.join(bin_dir, "dicomfs"), "create", "--in-place", "--fileset-uid", UID, path],
                       cwd=path, before=prepare, after=keep("DICOMDIR.new"))
        if args.against:
            theirs = Command("old", [args.against, "create", "--in-place", "--fileset-uid", UID, path],
                             cwd=path, before=prepare, after=keep("DICOMDIR.old"))
        else:
            theirs = Command("dcmmkdir", ["dcmmkdir", "+r", "+id", "."], cwd=path, before=prepare)
        c = alternate(ours, theirs, pairs=args.pairs)
        line = show(c, f"{name}: {files} files")
        if args.against:
            same = filecmp.cmp(os.path.join(args.dir, "DICOMDIR.new"), os.path.join(args.dir, "DICOMDIR.old"), shallow=False)
            line += f"; DICOMDIRs {'byte-identical' if same else 'DIFFER'}"
        summary.append(f"{name} ({files} files): {line}")
    print()
    print("\n".join(summary))


def linearity(args):
    """dicomfs alone on each size: median of --pairs warm runs, scaled per 75,000 files."""
    import statistics
    from harness import measure
    bin_dir = build()
    print(f"machine: {machine()}; cache: warm (every file read before every run); dicomfs alone")
    for name in args.sizes.split(","):
        path, files = corpus(bin_dir, args.dir, name)
        prepare = preparer(path, cold=False)
        ours = Command("dicomfs", [os.path.join(bin_dir, "dicomfs"), "create", "--in-place", "--fileset-uid", UID, path], cwd=path, before=prepare)
        runs = [measure(ours) for _ in range(args.pairs)]
        wall, cpu, rss = (statistics.median(getattr(r, k) for r in runs) for k in ("wall", "cpu", "rss_mb"))
        per = 75_000 / files
        print(f"{name}: {files} files, {args.pairs} runs: median wall {wall:.3f} s ({wall * per:.3f} s per 75k), "
              f"CPU {cpu:.3f} s ({cpu * per:.3f} s per 75k), peak RSS {rss:.0f} MB ({rss * per:.1f} MB per 75k); "
              f"walls {', '.join(f'{r.wall:.2f}' for r in runs)}")


if __name__ == "__main__":
    main()
