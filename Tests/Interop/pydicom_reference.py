#!/usr/bin/env python3
"""What pydicom (an independent reader) sees in DICOM files, as JSON on stdout.

Usage: pydicom_reference.py FILE...   or   pydicom_reference.py --list-test-files
For each file: whether pydicom reads it, its transfer syntax, SOP Instance UID, and every
top-level element's tag, VR and (for string VRs) decoded values. The Swift interop tests
compare dicomfs's reader with this.
"""
import json
import os
import sys
import warnings

import pydicom
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName

STRING_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}


def test_files():
    import pydicom.data
    import data_store  # pydicom-data
    roots = [os.path.join(os.path.dirname(pydicom.data.__file__), d) for d in ("test_files", "charset_files")]
    roots.append(os.path.join(os.path.dirname(data_store.__file__), "data"))
    out = []
    for root in roots:
        for dirpath, _, names in os.walk(root):
            for n in names:
                if n.endswith((".py", ".pyc", ".json", ".txt", ".gz", ".bz2", ".xz", ".zip", ".md", ".bin", ".png")):
                    continue
                out.append(os.path.join(dirpath, n))
    return sorted(out)


def text(value):
    if isinstance(value, PersonName):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def describe(path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(path, force=False)
            elements = []
            for elem in ds:
                entry = {"tag": f"{elem.tag:08X}", "vr": elem.VR}
                if elem.VR in STRING_VRS:
                    v = elem.value
                    if v is None:
                        values = []
                    elif isinstance(v, (list, MultiValue)):
                        values = [text(x) for x in v]
                    else:
                        values = [text(v)]
                    entry["values"] = values
                elements.append(entry)
            ts = str(ds.file_meta.get("TransferSyntaxUID", "")) if hasattr(ds, "file_meta") else ""
            return {"path": path, "ok": True, "transfer_syntax": ts,
                    "sop_instance_uid": str(ds.get("SOPInstanceUID", "")), "elements": elements}
    except Exception as e:  # noqa: BLE001 - any failure means "pydicom rejects it"
        return {"path": path, "ok": False, "error": f"{type(e).__name__}: {e}"[:300]}


def main():
    files = test_files() if sys.argv[1:] == ["--list-test-files"] else sys.argv[1:]
    json.dump([describe(p) for p in files], sys.stdout)


if __name__ == "__main__":
    main()
