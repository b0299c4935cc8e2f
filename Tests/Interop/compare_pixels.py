"""Pixels of every instance of a file-set against the source files with the same SOP Instance
UID, both decoded by pydicom (python-gdcm for the compressed ones).

usage: compare_pixels.py SOURCE_FOLDER FILESET_FOLDER
One line per instance: "<source syntax> <stored syntax> <photometric> <max abs difference>".
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.fileset import FileSet

src, out = sys.argv[1], sys.argv[2]
by_uid = {}
for root, _, names in os.walk(src):
    for n in names:
        try:
            ds = pydicom.dcmread(os.path.join(root, n))
        except Exception:
            continue
        by_uid.setdefault(ds.SOPInstanceUID, ds)
for inst in FileSet(os.path.join(out, "DICOMDIR")):
    o = inst.load()
    s = by_uid[o.SOPInstanceUID]
    if "PixelData" not in o:
        continue
    a = s.pixel_array.astype(np.int64)
    b = o.pixel_array.astype(np.int64)
    diff = int(np.abs(a - b).max()) if a.shape == b.shape else -1
    print(s.file_meta.TransferSyntaxUID, o.file_meta.TransferSyntaxUID, o.PhotometricInterpretation, diff)
