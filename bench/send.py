#!/usr/bin/env python3
"""dicomfs send against DCMTK's storescu and dcmsend, into the same DCMTK storescp, alternated.

Generates --files small instances (64 x 64 x 16 bits, the project's own generator, a folder
without DICOMDIR), starts one DCMTK storescp on loopback (receiving into a folder emptied
before every run, TCP_NODELAY=1 so that neither side waits on delayed ACKs), then alternates
(bench/harness.py: a warm-up of each, then --pairs pairs A B ...):

  A: dicomfs send SRC --to STORESCP@127.0.0.1:PORT     (C-ECHO, then every file, one association)
  B: storescu +sd +r ... SRC                            (one association)  — then the same with
  B: dcmsend +sd +r ... SRC                             (DCMTK's sender for whole folders)

The ratio is B's wall time over A's: above 1.0 dicomfs sends faster. Peak RSS is each
sender's (wait4). Every run is checked: the receiver must hold --files instances.

With --ignore the receiver is `storescp --ignore` (it answers every C-STORE but stores
nothing): what is left is each sender's own cost, not the receiver's file creation (about a
millisecond of kernel time per file on this machine's ext4, the same for every sender).

Usage: bench/send.py [--files 5000] [--pairs 5] [--ignore] [--dir /tmp/dicomfs-bench]
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--ignore", action="store_true")
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/dicomfs-bench"))
    args = ap.parse_args()
    bin_dir = build()
    base = os.path.join(args.dir, "send")
    src = os.path.join(base, f"src-{args.files}")
    if not os.path.exists(src + ".complete"):
        shutil.rmtree(src, ignore_errors=True)
        subprocess.run([os.path.join(bin_dir, "dicomfs-samples"), "corpus", src, "--patients", "2", "--studies", "2", "--series", "2",
                        "--images", str(max(1, args.files // 8)), "--rows", "64", "--cols", "64", "--names", "ids", "--no-extras"],
                       check=True, stdout=subprocess.DEVNULL)
        open(src + ".complete", "w").close()
    count = sum(len(fs) for _, _, fs in os.walk(src))
    inbox = os.path.join(base, "inbox")
    os.makedirs(inbox, exist_ok=True)
    port = free_port()
    env = {**os.environ, "TCP_NODELAY": "1"}
    receiver = subprocess.Popen(["/usr/bin/storescp"] + (["--ignore"] if args.ignore else []) + ["-aet", "STORESCP", "-od", inbox, str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    print(f"machine: {machine()}; {count} files of 64 x 64 x 16 bits to DCMTK storescp on loopback "
          + ("with --ignore (stores nothing)" if args.ignore else "(writes each file; it does not sync)"))

    def empty():
        shutil.rmtree(inbox, ignore_errors=True)
        os.makedirs(inbox)

    def check():
        if args.ignore:
            return
        got = len(os.listdir(inbox))
        if got != count:
            raise SystemExit(f"the receiver holds {got} instances, not {count}")

    ours = Command("dicomfs send", [os.path.join(bin_dir, "dicomfs"), "send", src, "--to", f"STORESCP@127.0.0.1:{port}"],
                   before=empty, after=check, env=env)
    theirs = [Command("storescu", ["/usr/bin/storescu", "+sd", "+r", "-aec", "STORESCP", "127.0.0.1", str(port), src],
                      before=empty, after=check, env=env),
              Command("dcmsend", ["/usr/bin/dcmsend", "+sd", "+r", "-aec", "STORESCP", "127.0.0.1", str(port), src],
                      before=empty, after=check, env=env)]
    try:
        for other in theirs:
            c = alternate(ours, other, pairs=args.pairs)
            show(c, f"dicomfs send vs {other.name}, {count} instances")
            print(f"speed dicomfs send / {other.name}: {c.median('wall'):.2f} (median of pairs; target >= 1.0)")
    finally:
        receiver.terminate()
        receiver.wait()


if __name__ == "__main__":
    main()
