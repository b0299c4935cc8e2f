"""C-STORE files to an SCP with pynetdicom 3.0.4, as an independent peer for `dicomfs serve`.

usage: pynetdicom_send.py HOST PORT CALLED CALLING [--associations N] [--implicit] FILE...

Each file is sent in its own transfer syntax (compressed files on a context proposing just
that syntax; native ones as Explicit VR LE, or Implicit VR LE with --implicit). With
--associations N the files are dealt to N associations running at once. One line per file
on stdout, flushed as it comes: "<status hex> <SOP Instance UID> <transfer syntax>".
Exit status 0 when every file got status 0000, 1 otherwise, 2 when an association failed.
"""
import sys
import threading

from pydicom import dcmread
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pynetdicom import AE

args = sys.argv[1:]
host, port, called, calling = args[0], int(args[1]), args[2], args[3]
rest = args[4:]
associations = 1
implicit = False
files = []
i = 0
while i < len(rest):
    if rest[i] == "--associations":
        associations = int(rest[i + 1])
        i += 2
    elif rest[i] == "--implicit":
        implicit = True
        i += 1
    else:
        files.append(rest[i])
        i += 1

lock = threading.Lock()
failures = []


def send(batch):
    datasets = [dcmread(f) for f in batch]
    ae = AE(ae_title=calling)
    contexts = set()
    for ds in datasets:
        ts = ds.file_meta.TransferSyntaxUID
        if not ts.is_compressed:
            ts = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
        contexts.add((ds.SOPClassUID, ts))
    for cls, ts in sorted(contexts):
        ae.add_requested_context(cls, [ts])
    assoc = ae.associate(host, port, ae_title=called)
    if not assoc.is_established:
        with lock:
            failures.append("association")
        return
    for ds in datasets:
        status = assoc.send_c_store(ds)
        code = getattr(status, "Status", 0xFFFF) if status else 0xFFFF
        with lock:
            print(f"{code:04x} {ds.SOPInstanceUID} {ds.file_meta.TransferSyntaxUID}", flush=True)
            if code != 0:
                failures.append(ds.SOPInstanceUID)
    assoc.release()


threads = [threading.Thread(target=send, args=(files[k::associations],)) for k in range(associations) if files[k::associations]]
for t in threads:
    t.start()
for t in threads:
    t.join()
sys.exit(2 if "association" in failures else (1 if failures else 0))
