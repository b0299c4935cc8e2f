#!/usr/bin/env python3
"""What independent readers see in a DICOMDIR, as JSON on stdout.

  fileset_reference.py instances DICOMDIR   pydicom FileSet: every instance's SOP Instance UID,
                                            File ID path and the UID read from the file itself
  fileset_reference.py tree DICOMDIR        the record tree (type, key values, File ID), with
                                            siblings in a canonical order, for comparing writers
  fileset_reference.py admissible DIR OUT   copies pydicom's test files that can form a file-set
                                            (one per SOP Instance UID, valid UIDs) into OUT
"""
import json
import os
import re
import shutil
import sys
import warnings

warnings.simplefilter("ignore")
import pydicom  # noqa: E402
from pydicom.fileset import FileSet  # noqa: E402

UID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))*$")

# Keys compared between writers: the PS3.3 F.5 keys of the common record types.
TREE_KEYS = ["PatientID", "PatientName", "StudyInstanceUID", "StudyDate", "StudyTime", "StudyID",
             "AccessionNumber", "StudyDescription", "SeriesInstanceUID", "Modality", "SeriesNumber",
             "InstanceNumber", "ContentDate", "ContentTime", "CompletionFlag", "VerificationFlag",
             "ContentLabel", "PresentationCreationDate", "PresentationCreationTime",
             "MIMETypeOfEncapsulatedDocument", "ReferencedSOPInstanceUIDInFile",
             "ReferencedSOPClassUIDInFile", "ReferencedTransferSyntaxUIDInFile"]


def instances(path):
    fs = FileSet(pydicom.dcmread(path))
    out = []
    for inst in fs:
        ds = pydicom.dcmread(inst.path, stop_before_pixels=True)
        out.append({"uid": inst.SOPInstanceUID, "path": os.path.relpath(inst.path, os.path.dirname(path)),
                    "file_uid": str(ds.SOPInstanceUID)})
    return {"id": fs.ID, "uid": fs.UID, "instances": out}


def tree(path):
    ds = pydicom.dcmread(path)
    by_offset = {rec.seq_item_tell: rec for rec in ds.DirectoryRecordSequence}

    def siblings(offset):
        """The records of one sibling chain, each with its subtree, in a canonical order."""
        out = []
        rec = by_offset.get(offset)
        while rec is not None:
            out.append(node(rec))
            rec = by_offset.get(rec.OffsetOfTheNextDirectoryRecord)
        return sorted(out, key=lambda n: json.dumps(n, sort_keys=True))

    def node(rec):
        keys = {k: str(rec.get(k, "")) for k in TREE_KEYS if k in rec}
        fid = rec.get("ReferencedFileID")
        if fid is not None:
            keys["ReferencedFileID"] = "/".join(fid) if isinstance(fid, (list, pydicom.multival.MultiValue)) else str(fid)
        children = siblings(rec.OffsetOfReferencedLowerLevelDirectoryEntity)
        return {"type": rec.DirectoryRecordType, "keys": keys, "children": children}

    return siblings(ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity)


def native_pixels_fit(path):
    """What dicomfs verify (and so create) demands of native Pixel Data: Rows x Columns x
    Frames x Samples x Bits Allocated / 8 bytes, YBR_*_422 at two samples a pixel."""
    try:
        ds = pydicom.dcmread(path)
    except Exception:  # noqa: BLE001 - does not read to its end
        return False
    if "PixelData" not in ds or ds.file_meta.TransferSyntaxUID.is_compressed:
        return True
    rows, cols, bits = ds.get("Rows"), ds.get("Columns"), ds.get("BitsAllocated")
    if not (rows and cols and bits):
        return True
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    try:
        frames = int(ds.get("NumberOfFrames", 1) or 1)
    except ValueError:  # not an IS value: dicomfs reads one frame, as here
        frames = 1
    if str(ds.get("PhotometricInterpretation", "")).strip() in ("YBR_FULL_422", "YBR_PARTIAL_422") and samples == 3:
        samples, cols = 2, cols + cols % 2
    expected = (rows * cols * max(frames, 1) * samples * bits + 7) // 8
    return len(ds.PixelData) in (expected, expected + 1)


def admissible(files, out):
    seen = set()
    os.makedirs(out, exist_ok=True)
    for path in sorted(files, key=os.path.basename):
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        except Exception:  # noqa: BLE001 - not readable: not admissible
            continue
        uids = [str(ds.get(k, "")) for k in ("SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "SOPClassUID")]
        if not all(UID.match(u) and len(u) <= 64 for u in uids) or uids[0] in seen:
            continue
        if not native_pixels_fit(path):
            continue
        seen.add(uids[0])
        shutil.copy(path, os.path.join(out, os.path.basename(path)))
    return sorted(os.listdir(out))


def main():
    cmd = sys.argv[1]
    if cmd == "instances":
        result = instances(sys.argv[2])
    elif cmd == "tree":
        result = tree(sys.argv[2])
    else:
        import pydicom_reference
        result = admissible([p for p in pydicom_reference.test_files()], sys.argv[3])
    json.dump(result, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
