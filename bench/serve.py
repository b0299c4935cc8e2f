#!/usr/bin/env python3
"""dicomfs serve against DCMTK's storescp as the receiving end of storescu, alternated.

Generates --files small instances (64 x 64 x 16 bits, the project's own generator), then, for
one sender and for --senders concurrent senders (each storescu sending its share on its own
association), alternates (bench/harness.py: a warm-up of each, then --pairs pairs A B ...):

  A: storescu(s) -> dicomfs serve --no-jobs       (every instance fsynced before its response)
  B: storescu(s) -> storescp                      (writes each file; DCMTK does not sync)

The timed command is the senders only (both servers run throughout, on loopback, spool
emptied before each run). The ratio is B's wall time over A's: above 1.0 dicomfs receives
faster. dicomfs syncs every instance and storescp none, so the comparison is not in our
favour. DCMTK's tools run with TCP_NODELAY=1 (else Nagle and delayed ACKs cost each of them
about 40 ms per instance). The RSS columns are the senders'; each server's peak RSS is read
from /proc at the end (VmHWM).

With --peer-sync, B's storescp runs with bench/peer_sync.c preloaded: every file it writes
has its data synced (fdatasync) before it is closed and the response sent — a like-for-like
durability comparison (still less than dicomfs's: storescp's folder entries are not synced).

With --soak N (e.g. 20000), instead: N distinct instances sent by one storescu to dicomfs
alone, the server's resident size (VmRSS) read as the spool passes 5,000 instances and at
the end: a station runs for months, so memory must stay flat (target: within 10%).

Usage: bench/serve.py [--files 5000] [--senders 4] [--pairs 5] [--peer-sync] [--soak N] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from create import build  # noqa: E402
from harness import Command, alternate, machine, show  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid, key):
    """A memory figure of a live process from /proc/PID/status, in MB (nan when gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def vm_hwm(pid):
    return proc_status(pid, "VmHWM")


def vm_rss(pid):
    return proc_status(pid, "VmRSS")


def corpus_of(bin_dir, base, files):
    src = os.path.join(base, f"src-{files}")
    if not os.path.exists(src + ".complete"):
        shutil.rmtree(src, ignore_errors=True)
        images = max(1, files // 8)
        subprocess.run([os.path.join(bin_dir, "dicomfs-samples"), "corpus", src, "--patients", "2", "--studies", "2", "--series", "2",
                        "--images", str(images), "--rows", "64", "--cols", "64", "--names", "ids", "--no-extras"], check=True,
                       stdout=subprocess.DEVNULL)
        open(src + ".complete", "w").close()
    return src


def soak(bin_dir, base, n):
    src = corpus_of(bin_dir, base, n)
    where = os.path.join(base, "soak")
    shutil.rmtree(where, ignore_errors=True)
    port = free_port()
    server = subprocess.Popen([os.path.join(bin_dir, "dicomfs"), "serve", "--host", "127.0.0.1", "--port", str(port), "--spool", where + "/spool",
                               "--out", where + "/out", "--no-jobs", "--log-level", "warning"], stderr=subprocess.DEVNULL)
    time.sleep(1)
    print(f"machine: {machine()}; soak: {n} distinct instances (64 x 64 x 16 bits), one storescu, dicomfs serve --no-jobs")
    sender = subprocess.Popen(["/usr/bin/storescu", "+sd", "+r", "-aec", "DICOMFS", "127.0.0.1", str(port), src],
                              env={**os.environ, "TCP_NODELAY": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marks, rss, start = {}, [], time.time()
    spool = os.path.join(where, "spool", "DICOMFS")

    def count():
        return sum(len(fs) for _, _, fs in os.walk(spool))
    while sender.poll() is None:
        time.sleep(1)
        c, r = count(), vm_rss(server.pid)
        rss.append((c, r))
        for m in (1000, 5000, 10000, 15000):
            if c >= m and m not in marks:
                marks[m] = r
    sender.wait()
    time.sleep(0.5)
    c, end = count(), vm_rss(server.pid)
    elapsed = time.time() - start
    server.terminate()
    server.wait()
    for m in sorted(marks):
        print(f"  at {m:6d} instances: VmRSS {marks[m]:.1f} MB")
    print(f"  at {c:6d} instances: VmRSS {end:.1f} MB (end); peak VmHWM not read after exit; {c / elapsed:.0f} instances/s")
    if 5000 in marks:
        print(f"RSS at the end / at 5,000: {end / marks[5000]:.3f} (target: within 10%, <= 1.10)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--senders", type=int, default=4)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/dicomfs-bench"))
    ap.add_argument("--soak", type=int, default=0)
    ap.add_argument("--peer-sync", action="store_true", help="storescp syncs each file's data before answering (bench/peer_sync.c)")
    args = ap.parse_args()
    bin_dir = build()
    base = os.path.join(args.dir, "serve")
    if args.soak:
        return soak(bin_dir, base, args.soak)
    src = corpus_of(bin_dir, base, args.files)
    files = sorted(os.path.join(d, n) for d, _, ns in os.walk(src) for n in ns)
    ours_dir, theirs_dir = os.path.join(base, "ours"), os.path.join(base, "theirs")
    p1, p2 = free_port(), free_port()
    os.makedirs(theirs_dir, exist_ok=True)
    ours = subprocess.Popen([os.path.join(bin_dir, "dicomfs"), "serve", "--host", "127.0.0.1", "--port", str(p1), "--spool", ours_dir + "/spool",
                             "--out", ours_dir + "/out", "--no-jobs", "--log-level", "warning"], stderr=subprocess.DEVNULL)
    # DCMTK disables Nagle only when TCP_NODELAY is set in its environment; without it every
    # response waits for the peer's delayed ACK (about 40 ms per instance), on both sides.
    peer_env = {**os.environ, "TCP_NODELAY": "1"}
    if args.peer_sync:
        shim = os.path.join(base, "peer_sync.so")
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", shim, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer_sync.c"),
                        "-ldl"], check=True)
        peer_env["LD_PRELOAD"] = shim
    theirs = subprocess.Popen(["/usr/bin/storescp", "-aet", "DICOMFS", "-od", theirs_dir, str(p2)], stderr=subprocess.DEVNULL,
                              env=peer_env)
    time.sleep(1)
    print(f"machine: {machine()}; {len(files)} files of 64 x 64 x 16 bits on loopback; "
          f"dicomfs fsyncs every instance before answering, storescp "
          + ("fdatasyncs each file before answering (bench/peer_sync.c; its folder entries are not synced)" if args.peer_sync else "does not sync"))

    # What a run received is moved aside, not deleted, before the next run, and deleted at the
    # end. Deleting thousands of files between runs makes every file either server creates in
    # the next few minutes slower (ext4 without a journal, as here, skips recently freed
    # inodes one by one: measured 0.04 -> 0.4 ms of CPU per created file, growing run after
    # run), which a station that keeps or moves what it receives does not see.
    trash = os.path.join(base, "trash")
    shutil.rmtree(trash, ignore_errors=True)
    os.makedirs(trash)
    moved = [0]

    def empty(where):
        def run():
            for name in os.listdir(where) if os.path.isdir(where) else []:
                if not name.startswith("."):   # the spool's .incoming and .journal stay
                    moved[0] += 1
                    os.rename(os.path.join(where, name), os.path.join(trash, str(moved[0])))
        return run

    def chunk_dirs(n):
        """n folders holding every n-th file (hard links, made once): a storescu each, given
        its folder (+sd +r), since 5,000 paths overflow a command line."""
        out = []
        for k in range(n):
            d = os.path.join(base, f"chunks-{len(files)}-{n}", str(k))
            if not os.path.exists(d + ".complete"):
                shutil.rmtree(d, ignore_errors=True)
                os.makedirs(d)
                for i, f in enumerate(files[k::n]):
                    os.link(f, os.path.join(d, "%06d.dcm" % i))
                open(d + ".complete", "w").close()
            out.append(d)
        return out

    def senders(port, n):
        script = " & ".join("TCP_NODELAY=1 /usr/bin/storescu +sd +r -aec DICOMFS 127.0.0.1 %d %s" % (port, d) for d in chunk_dirs(n)) + " & wait"
        return ["sh", "-c", script]

    try:
        for n in (1, args.senders):
            a = Command("dicomfs", senders(p1, n), before=empty(ours_dir + "/spool"))
            b = Command("storescp", senders(p2, n), before=empty(theirs_dir))
            c = alternate(a, b, pairs=args.pairs)
            show(c, f"{n} sender(s), {len(files)} instances")
            print(f"throughput dicomfs / storescp: {c.median('wall'):.2f} (median of pairs; target >= 1.0 with one sender, "
                  f"> 1.0 with {args.senders})")
        print(f"peak RSS of the servers: dicomfs {vm_hwm(ours.pid):.0f} MB, storescp {vm_hwm(theirs.pid):.0f} MB (target: dicomfs < 150 MB)")
    finally:
        ours.terminate()
        theirs.terminate()
        ours.wait()
        theirs.wait()
        shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
