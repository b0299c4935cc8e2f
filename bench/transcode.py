#!/usr/bin/env python3
"""dicomfs transcode against DCMTK's dcmdjpeg and GDCM's gdcmconv --j2k, alternated.

Two campaigns (bench/harness.py: a warm-up of each, then --pairs pairs A B ..., medians of the
per-pair ratios, wall time, user+sys CPU and peak RSS from wait4):

  1. Decompression: --files JPEG Baseline files of CT size (512 x 512, 8 bits; made once by
     DCMTK's dcmcjpeg from ten synthetic slices, each copied under its own UIDs).
       A: dicomfs transcode FILES -o OUT                   (one process, all cores)
       B: dcmdjpeg IN OUT, once per file                   (one file at a time, as scripts do)
     and, for a peer on both cores too, B': the same dcmdjpeg calls two at a time (xargs -P 2).
  2. JPEG 2000 lossless encoding: --j2k-files native 512 x 512 x 16-bit signed CT slices.
       A: dicomfs transcode FILES -o OUT --to 1.2.840.10008.1.2.4.90
       B: gdcmconv --j2k IN OUT, once per file             (the same OpenJPEG underneath)
     dicomfs decodes every frame again and compares it before it writes (lossless proven);
     gdcmconv does not.

Every run is checked: the output folder must hold one file per input. The ratio is B's wall
time over A's: above 1.0 dicomfs is faster.

Usage: bench/transcode.py [--files 500] [--j2k-files 100] [--pairs 5] [--dir /tmp/dicomfs-bench]
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from create import build  # noqa: E402
from harness import Command, alternate, machine, show, warm  # noqa: E402

MAKE = r'''
import sys, os, numpy as np, pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid, ExplicitVRLittleEndian
out, count, bits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
base = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
rng = np.random.default_rng(7)
big = np.kron(base.pixel_array.astype(np.int32), np.ones((4, 4), dtype=np.int32))   # 512 x 512
for i in range(count):
    ds = base.copy()
    slice_ = big + rng.normal(0, 12, big.shape).astype(np.int32) + (i % 10) * 5
    if bits == 8:
        lo, hi = slice_.min(), slice_.max()
        ds.PixelData = ((slice_ - lo) * 255 // max(1, hi - lo)).astype(np.uint8).tobytes()
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.RescaleIntercept, ds.RescaleSlope = 0, 1
    else:
        ds.PixelData = np.clip(slice_, -32768, 32767).astype("<i2").tobytes()
    ds.Rows, ds.Columns = 512, 512
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(os.path.join(out, "IM%05d.dcm" % i), enforce_file_format=True)
'''


def corpus(base, name, count, bits, jpeg):
    path = os.path.join(base, name)
    marker = path + ".complete"
    if os.path.exists(marker):
        return path
    shutil.rmtree(path, ignore_errors=True)
    native = path + ".native"
    shutil.rmtree(native, ignore_errors=True)
    subprocess.run([sys.executable, "-c", MAKE, native, str(count), str(bits)], check=True)
    if jpeg:
        os.makedirs(path)
        for n in sorted(os.listdir(native)):
            subprocess.run(["/usr/bin/dcmcjpeg", "+eb", os.path.join(native, n), os.path.join(path, n)], check=True)
        shutil.rmtree(native)
    else:
        os.rename(native, path)
    open(marker, "w").close()
    return path


def campaign(title, src, out, ours_argv, peer_name, peer_one, pairs, parallel=1):
    files = sorted(os.listdir(src))

    def fresh():
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        warm(src)

    def check():
        got = len(os.listdir(out))
        if got != len(files):
            raise SystemExit(f"{title}: {got} files written, not {len(files)}")

    ours = Command("dicomfs", ours_argv + [os.path.join(src, n) for n in files] + ["-o", out], before=fresh, after=check)
    # The peer, one process per file, from one shell (its own children's usage comes back
    # through wait4 of the shell).
    script = f"cd {src} && printf '%s\\n' * | xargs -P {parallel} -I F {peer_one} F {out}/F"
    peer = Command(peer_name, ["sh", "-c", script], before=fresh, after=check)
    return show(alternate(ours, peer, pairs=pairs), title)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--j2k-files", type=int, default=100)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/dicomfs-bench"))
    args = ap.parse_args()
    bin_dir = build()
    dicomfs = os.path.join(bin_dir, "dicomfs")
    base = os.path.join(args.dir, "transcode")
    os.makedirs(base, exist_ok=True)
    jpeg = corpus(base, f"jpeg-{args.files}", args.files, 8, True)
    native = corpus(base, f"ct16-{args.j2k_files}", args.j2k_files, 16, False)
    out = os.path.join(base, "out")
    print(f"machine: {machine()}")
    lines = [
        campaign(f"decompress {args.files} JPEG Baseline 512 x 512 files: dicomfs transcode vs dcmdjpeg one file at a time",
                 jpeg, out, [dicomfs, "transcode"], "dcmdjpeg", "/usr/bin/dcmdjpeg", args.pairs),
        campaign(f"decompress {args.files} JPEG Baseline 512 x 512 files: dicomfs transcode vs dcmdjpeg two at a time (xargs -P 2)",
                 jpeg, out, [dicomfs, "transcode"], "dcmdjpeg-P2", "/usr/bin/dcmdjpeg", args.pairs, parallel=2),
        campaign(f"JPEG 2000 lossless encoding of {args.j2k_files} 512 x 512 x 16-bit CT slices: dicomfs transcode vs gdcmconv --j2k",
                 native, out, [dicomfs, "transcode", "--to", "1.2.840.10008.1.2.4.90"], "gdcmconv", "gdcmconv --j2k", args.pairs),
    ]
    print()
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
