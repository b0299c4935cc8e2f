#!/usr/bin/env python3
"""dicomfs create --in-place against dcmmkdir, side by side, on the same folders.

Builds corpora of 7,750 and 75,000 small files whose paths are valid File IDs (with the
project's own generator, `dicomfs-samples corpus`), then for each corpus and tool: reads the
whole tree (this machine evicts idle file pages after about 30 s, so every timed run starts
on a warm page cache), removes any DICOMDIR, runs the tool, and records wall time and peak
RSS (from wait4). Prints the best of --runs for each, and the ratios against the targets of
the create issue: at 75k files >= 20x faster with <= 1/2 the peak RSS; at 7.75k >= 5x.

Usage: bench/create.py [--sizes small,large] [--runs 3] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = {
    # name: (patients, studies, series, images) -> files
    "small": (31, 5, 5, 10),     # 7,750
    "large": (30, 5, 5, 100),    # 75,000
}
TARGETS = {"small": (5.0, None), "large": (20.0, 0.5)}


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "dicomfs"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["swift", "build", "-c", "release", "--product", "dicomfs-samples"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release")


def corpus(bin_dir, base, name):
    p, s, r, i = SIZES[name]
    path = os.path.join(base, name)
    expected = p * s * r * i
    marker = os.path.join(base, f"{name}.complete")
    if not os.path.exists(marker):
        subprocess.run(["rm", "-rf", path], check=True)
        subprocess.run([os.path.join(bin_dir, "dicomfs-samples"), "corpus", path, "--patients", str(p), "--studies", str(s),
                        "--series", str(r), "--images", str(i), "--rows", "32", "--cols", "32", "--names", "ids",
                        "--no-extras"], check=True, stdout=subprocess.DEVNULL)
        open(marker, "w").close()
    return path, expected


def warm(path):
    """Reads every file so the timed run finds them in the page cache."""
    for dirpath, _, names in os.walk(path):
        for n in names:
            with open(os.path.join(dirpath, n), "rb") as f:
                while f.read(1 << 20):
                    pass


def timed(argv, cwd):
    """Wall seconds and peak RSS (MB) of one run of argv."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{argv[0]} failed ({code}): {err[-500:]}")
    return wall, usage.ru_maxrss / 1024


def run(tool, bin_dir, path, runs):
    results = []
    for _ in range(runs):
        dicomdir = os.path.join(path, "DICOMDIR")
        if os.path.exists(dicomdir):
            os.remove(dicomdir)
        warm(path)
        if tool == "dicomfs":
            results.append(timed([os.path.join(bin_dir, "dicomfs"), "create", "--in-place", path], cwd=path))
        else:
            results.append(timed(["dcmmkdir", "+r", "+id", "."], cwd=path))
    return min(r[0] for r in results), min(r[1] for r in results)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="small,large")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/dicomfs-bench"))
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    bin_dir = build()
    print(f"{'corpus':>8} {'files':>7} {'tool':>9} {'wall s':>8} {'peak MB':>8}")
    summary = []
    for name in args.sizes.split(","):
        path, files = corpus(bin_dir, args.dir, name)
        ours = run("dicomfs", bin_dir, path, args.runs)
        theirs = run("dcmmkdir", bin_dir, path, args.runs)
        for tool, (wall, rss) in (("dicomfs", ours), ("dcmmkdir", theirs)):
            print(f"{name:>8} {files:>7} {tool:>9} {wall:8.2f} {rss:8.1f}")
        speed, memory = theirs[0] / ours[0], ours[1] / theirs[1]
        want_speed, want_memory = TARGETS[name]
        verdict = "meets" if speed >= want_speed and (want_memory is None or memory <= want_memory) else "MISSES"
        summary.append(f"{name} ({files} files): dicomfs is {speed:.1f}x faster (target {want_speed:.0f}x), "
                       f"peak RSS ratio {memory:.2f} (target {'<= %.1f' % want_memory if want_memory else 'none'}): {verdict} the target")
    print()
    print("\n".join(summary))


if __name__ == "__main__":
    main()
