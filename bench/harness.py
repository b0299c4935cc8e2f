"""The one way every bench/ script times two commands against each other.

This machine is shared and noisy (10-30 % steal, speed drifting +-25 % between hours), so a
figure is never a best-of: after a warm-up run of each, the two commands run *alternately*
(A B A B ...) for N pairs, each pair gives a ratio, and the figure quoted is the median of
those per-pair ratios with their min-max beside it. Wall time, user+sys CPU and peak RSS all
come from wait4() of each child (not from sampling).

    from harness import Command, alternate, machine, show
    a = Command("dicomfs", [...], cwd=..., before=warm)
    b = Command("dcmmkdir", [...], cwd=..., before=warm)
    show(alternate(a, b, pairs=5))
"""
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional


@dataclass
class Command:
    name: str
    argv: List[str]
    cwd: Optional[str] = None
    before: Optional[Callable[[], None]] = None   # untimed: warm or drop the cache, remove outputs
    after: Optional[Callable[[], None]] = None    # untimed: check or remove what the run wrote
    ok: tuple = (0,)                              # exit statuses that count as success
    env: Optional[dict] = None


@dataclass
class Run:
    wall: float
    cpu: float      # user + sys seconds
    rss_mb: float


def measure(cmd: Command) -> Run:
    if cmd.before:
        cmd.before()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd.argv, cwd=cmd.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=None if cmd.env is None else {**os.environ, **cmd.env})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in cmd.ok:
        sys.exit(f"{cmd.name} ({' '.join(cmd.argv[:3])} ...) failed with exit status {code}: {err[-800:]}")
    if cmd.after:
        cmd.after()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@dataclass
class Comparison:
    a: str
    b: str
    pairs: int
    runs_a: List[Run] = field(default_factory=list)
    runs_b: List[Run] = field(default_factory=list)

    def ratios(self, what: str) -> List[float]:
        """Per-pair b/a for times (how many times faster a is), a/b for memory."""
        if what == "rss_mb":
            return [x.rss_mb / y.rss_mb for x, y in zip(self.runs_a, self.runs_b)]
        return [getattr(y, what) / getattr(x, what) for x, y in zip(self.runs_a, self.runs_b)]

    def median(self, what: str) -> float:
        return statistics.median(self.ratios(what))

    def spread(self, what: str) -> str:
        r = self.ratios(what)
        return f"{statistics.median(r):.2f} (min {min(r):.2f}, max {max(r):.2f})"

    def typical(self, side: str, what: str) -> float:
        runs = self.runs_a if side == "a" else self.runs_b
        return statistics.median(getattr(r, what) for r in runs)


def alternate(a: Command, b: Command, pairs: int = 5, warmup: int = 1) -> Comparison:
    """Warm-up runs of each (not counted), then A B A B ... for `pairs` pairs."""
    for _ in range(warmup):
        measure(a)
        measure(b)
    c = Comparison(a.name, b.name, pairs)
    for _ in range(pairs):
        c.runs_a.append(measure(a))
        c.runs_b.append(measure(b))
    return c


def show(c: Comparison, title: str = "") -> str:
    """Prints the per-run table and the median ratios; returns the one-line summary."""
    if title:
        print(f"== {title}")
    print(f"{'pair':>4} {c.a + ' wall':>16} {c.b + ' wall':>16} {'ratio':>7} {c.a + ' cpu':>14} {c.b + ' cpu':>14} {c.a + ' MB':>12} {c.b + ' MB':>12}")
    for i, (x, y) in enumerate(zip(c.runs_a, c.runs_b)):
        print(f"{i + 1:>4} {x.wall:16.3f} {y.wall:16.3f} {y.wall / x.wall:7.2f} {x.cpu:14.3f} {y.cpu:14.3f} {x.rss_mb:12.1f} {y.rss_mb:12.1f}")
    line = (f"{c.a} vs {c.b}, {c.pairs} alternated pairs: wall {c.spread('wall')}x, "
            f"user+sys CPU {c.spread('cpu')}x, peak RSS {c.a}/{c.b} {c.spread('rss_mb')} "
            f"(medians: {c.a} {c.typical('a', 'wall'):.3f} s / {c.typical('a', 'rss_mb'):.0f} MB, "
            f"{c.b} {c.typical('b', 'wall'):.3f} s / {c.typical('b', 'rss_mb'):.0f} MB)")
    print(line)
    return line


def machine() -> str:
    """Cores, CPU model and steal so far, for every quoted figure."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    steal = ""
    try:
        with open("/proc/stat") as f:
            cpu = f.readline().split()[1:]
            total = sum(int(x) for x in cpu)
            steal = f", steal since boot {100 * int(cpu[7]) / total:.0f} %" if len(cpu) > 7 and total else ""
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}{steal}"


def warm(path: str) -> None:
    """Reads every file under path, so the timed run finds them in the page cache (this
    machine evicts idle file pages after about 30 s)."""
    for dirpath, _, names in os.walk(path):
        for n in names:
            try:
                with open(os.path.join(dirpath, n), "rb") as f:
                    while f.read(1 << 20):
                        pass
            except OSError:
                pass


def can_drop_caches() -> bool:
    return os.geteuid() == 0 and os.access("/proc/sys/vm/drop_caches", os.W_OK)


def drop_caches() -> None:
    """Cold cache: dirty pages written, then page cache, dentries and inodes dropped."""
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")
