"""Issue #18's acceptance over every compressed image of pydicom's test files and pydicom-data.

usage: transcode_acceptance.py DICOMFS WORKDIR

Each compressed file (deduplicated by content) goes into a source folder — several folders,
so that no two files in one share a SOP Instance UID — and `dicomfs create --transcode
--profile STD-GEN-CD --skip-invalid` makes a file-set of it. Then, per file:
- lossless sources (JPEG Lossless, JPEG-LS lossless, JPEG 2000 lossless-only, RLE): pydicom
  (python-gdcm / pylibjpeg as decoders) decodes source and output to equal arrays;
- lossy sources (JPEG Baseline/Extended: DCMTK's dcmdjpeg; JPEG 2000, JPEG-LS near-lossless:
  GDCM's gdcmconv --raw): our output is within 1 of that tool's decompression, sample by sample;
- dciodvfy reports no error on our output that it did not report on the source;
- a JPEG lossy source's output says Lossy Image Compression 01, with a method.
Prints one JSON object: counts, and lists of what failed (each with file and reason).
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pydicom
from pydicom.data import get_testdata_files

dicomfs, work = sys.argv[1], sys.argv[2]
LOSSLESS = {"1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
            "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5"}
JPEG_LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"}


def candidates():
    seen, found = set(), []
    for p in sorted(set(get_testdata_files("*"))):
        try:
            ds = pydicom.dcmread(p, stop_before_pixels=True)
            ts = ds.file_meta.TransferSyntaxUID
        except Exception:
            continue
        if not ts.is_compressed or "SOPInstanceUID" not in ds:
            continue
        digest = hashlib.sha256(open(p, "rb").read()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        found.append((p, str(ts), str(ds.SOPInstanceUID)))
    return found


def dciodvfy_errors(path):
    r = subprocess.run(["dciodvfy", path], capture_output=True, text=True, errors="replace")
    return {re.sub(r"\s+", " ", line.strip()) for line in (r.stdout + r.stderr).splitlines() if line.startswith("Error")}


def pixels(path):
    return pydicom.dcmread(path).pixel_array.astype(np.int64)


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    files = candidates()
    batches = []   # [(set of UIDs, [(index, path, syntax)])]
    for i, (p, ts, uid) in enumerate(files):
        for uids, members in batches:
            if uid not in uids:
                uids.add(uid); members.append((i, p, ts)); break
        else:
            batches.append(({uid}, [(i, p, ts)]))
    report = {"files": len(files), "transcoded": 0, "notTranscoded": [], "compared": 0, "single": 0, "failures": [], "newErrors": [], "fallbacks": []}
    for b, (_, members) in enumerate(batches):
        src, out = os.path.join(work, "src%d" % b), os.path.join(work, "out%d" % b)
        os.makedirs(src)
        names = {}
        for i, p, ts in members:
            name = "F%03d.dcm" % i
            shutil.copyfile(p, os.path.join(src, name))
            names[name] = (p, ts)
        r = subprocess.run([dicomfs, "create", src, "-o", out, "--transcode", "--profile", "STD-GEN-CD",
                            "--skip-invalid", "--invent", "--json"], capture_output=True, text=True)
        try:
            made = json.loads(r.stdout)
        except ValueError:
            report["failures"].append({"file": "batch %d" % b, "reason": "create exit %d: %s" % (r.returncode, r.stderr[-400:])})
            continue
        for t in made.get("notTranscoded", []):
            n = os.path.basename(t["path"] if isinstance(t, dict) else str(t))
            report["notTranscoded"].append({"file": os.path.basename(names.get(n, (n,))[0]), "reason": t.get("reason", "") if isinstance(t, dict) else ""})
        done = {os.path.basename(t["path"] if isinstance(t, dict) else str(t)) for t in made.get("transcoded", [])}
        report["transcoded"] += len(done)
        if not os.path.exists(os.path.join(out, "DICOMDIR")):
            continue
        from pydicom.fileset import FileSet
        by_uid = {inst.SOPInstanceUID: inst.path for inst in FileSet(os.path.join(out, "DICOMDIR"))}
        for name in sorted(done):
            p, ts = names[name]
            source = os.path.join(src, name)
            uid = str(pydicom.dcmread(source, stop_before_pixels=True).SOPInstanceUID)
            ours = by_uid.get(uid)
            label = os.path.basename(p)
            if ours is None:
                # Left out of the set for a reason of the DICOMDIR's (no Study Instance UID, a
                # UID that is not one): the same code through `dicomfs transcode`.
                single = os.path.join(work, "single")
                shutil.rmtree(single, ignore_errors=True)
                t = subprocess.run([dicomfs, "transcode", source, "-o", single], capture_output=True, text=True)
                ours = os.path.join(single, name)
                if t.returncode != 0 or not os.path.exists(ours):
                    report["failures"].append({"file": label, "reason": "not in the file-set, and transcode says: " + t.stderr[-300:]}); continue
                report["single"] += 1
            if str(pydicom.dcmread(ours, stop_before_pixels=True).file_meta.TransferSyntaxUID) != "1.2.840.10008.1.2.1":
                report["failures"].append({"file": label, "reason": "not Explicit VR Little Endian"}); continue
            try:
                if ts in LOSSLESS:
                    reference, tolerance, how = pixels(source), 0, "pydicom"
                else:
                    ref = os.path.join(work, "ref.dcm")
                    if os.path.exists(ref): os.remove(ref)
                    # DCMTK's dcmdjpeg for JPEG (GDCM where DCMTK cannot read the file), GDCM for the rest.
                    tools = ([["/usr/bin/dcmdjpeg", source, ref]] if ts in JPEG_LOSSY else []) + [["gdcmconv", "--raw", source, ref]]
                    why = []
                    for tool in tools:
                        t = subprocess.run(tool, capture_output=True, text=True)
                        if t.returncode == 0 and os.path.exists(ref):
                            break
                        why.append("%s: %s" % (os.path.basename(tool[0]), t.stderr.strip()[-200:]))
                    else:
                        report["failures"].append({"file": label, "reason": "no reference decompression: " + "; ".join(why)}); continue
                    if why:
                        report["fallbacks"].append({"file": label, "reason": why[0]})
                    reference, tolerance, how = pixels(ref), 1, os.path.basename(tool[0])
                mine = pixels(ours)
                if ts in JPEG_LOSSY:   # decompressed, still said to have been lossy (PS3.3 C.7.6.1.1.5)
                    o = pydicom.dcmread(ours, stop_before_pixels=True)
                    if o.get("LossyImageCompression") != "01" or not o.get("LossyImageCompressionMethod"):
                        report["failures"].append({"file": label, "reason": "Lossy Image Compression %r, method %r" % (o.get("LossyImageCompression"), o.get("LossyImageCompressionMethod"))})
                if mine.shape != reference.shape:
                    report["failures"].append({"file": label, "reason": "shape %s, %s gives %s" % (mine.shape, how, reference.shape)}); continue
                diff = int(np.abs(mine - reference).max()) if mine.size else 0
                report["compared"] += 1
                if diff > tolerance:
                    report["failures"].append({"file": label, "reason": "differs from %s by %d (allowed %d)" % (how, diff, tolerance)})
            except Exception as e:   # a decoder missing or refusing: a failure, said
                report["failures"].append({"file": label, "reason": "comparison failed: %s" % e})
            before = dciodvfy_errors(source)
            # A bad value the source has in its data set is repeated in the meta group, which
            # must hold the same SOP Instance UID: the same error, not a new one.
            known = {v for e in before for v in re.findall(r'"([^"]*)"|<([^>]*)>', e) for v in v if v}
            new = {e for e in dciodvfy_errors(ours) - before
                   if not ("(0x0002," in e and any(v in known for m in re.findall(r'"([^"]*)"|<([^>]*)>', e) for v in m if v))}
            if new:
                report["newErrors"].append({"file": label, "errors": sorted(new)})
    print(json.dumps(report, indent=1))


main()
