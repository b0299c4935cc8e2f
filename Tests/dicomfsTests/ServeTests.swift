import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// `dicomfs serve` judged by peers we did not write: DCMTK echoscu/storescu and pynetdicom as
/// SCUs, pydicom comparing what arrived, `dicomfs verify`/xorriso/pydicom on the discs made.
/// Loopback only; every server stops by itself (--stop-after) whatever the test does.
@Suite("dicomfs serve", .serialized, .tags(.stress)) struct ServeTests {
    static let sender = External.repoRoot.appendingPathComponent("Tests/Interop/pynetdicom_send.py").path
    static var hasPynetdicom: Bool { External.hasPythonModule("pynetdicom") && External.hasPydicom }

    /// The data sets of two files are the same, element for element (pydicom), and the
    /// received one says where it came from.
    func sameDataSet(_ sent: String, _ received: String, syntax: String? = nil) throws -> String {
        let r = try External.python("""
        import sys, pydicom
        a = pydicom.dcmread(sys.argv[1]); b = pydicom.dcmread(sys.argv[2])
        for d in (a, b):
            d.pop(0xFFFCFFFC, None)   # Data Set Trailing Padding: storescu drops it
        diff = [str(k) for k in set(a.keys()) | set(b.keys()) if k not in a or k not in b or a[k].value != b[k].value]
        print("same" if not diff else "differ " + " ".join(sorted(diff)[:5]), b.file_meta.TransferSyntaxUID, b.file_meta.SourceApplicationEntityTitle)
        """, [sent, received])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + r.stderr
    }

    @Test(.enabled(if: External.hasDCMTK("echoscu", "storescu") && External.hasPydicom, "needs DCMTK and pydicom"))
    func dcmtkEchoAndStoreArriveIntact() throws {
        let serve = try ServeProcess(["--no-jobs"])
        defer { serve.stop() }
        let echo = try External.run(External.dcmtk("echoscu"), ["-aec", "DICOMFS", "127.0.0.1", String(serve.port)])
        #expect(echo.status == 0, "\(echo.stderr)")
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try FileManager.default.contentsOfDirectory(atPath: source).sorted().map { source + "/" + $0 }
        let store = try External.run(External.dcmtk("storescu"), ["-aec", "DICOMFS", "-aet", "MODALITY1", "127.0.0.1", String(serve.port)] + files)
        #expect(store.status == 0, "\(store.stderr)")
        let received = ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }
        #expect(received.count == files.count, "\(received)")
        for f in files {
            let uid = try #require(try DICOMFile.read(path: f, options: .headerOnly).sopInstanceUID)
            let path = try #require(received.first { $0.hasSuffix("/" + uid + ".dcm") }, "\(uid) did not arrive")
            #expect(path.hasPrefix("DICOMFS/"))
            let verdict = try sameDataSet(f, serve.spool + "/" + path)
            #expect(verdict.hasPrefix("same ") && verdict.hasSuffix(" MODALITY1"), "\(f): \(verdict)")
        }
        #expect(serve.stop() == 0, "\(serve.logText)")
        #expect(!FileManager.default.fileExists(atPath: serve.spool + "/.incoming") || ServeProcess.files(serve.spool + "/.incoming").isEmpty)
    }

    /// pynetdicom on contexts of one syntax each: Implicit and Explicit VR LE, JPEG Baseline,
    /// JPEG Lossless and JPEG 2000; each instance lands in the syntax negotiated, data set
    /// unchanged (pixel data byte for byte).
    @Test(.enabled(if: hasPynetdicom, "needs pynetdicom and pydicom-data"))
    func pynetdicomContextsArriveInTheirSyntax() throws {
        let serve = try ServeProcess(["--no-jobs"])
        defer { serve.stop() }
        let names = ["CT_small.dcm", "MR_small.dcm", "SC_rgb_jpeg_dcmtk.dcm", "JPEG2000.dcm", "JPEG-LL.dcm"]
        let paths = try External.python("""
        import sys
        from pydicom.data import get_testdata_file
        print("\\n".join(get_testdata_file(n) for n in sys.argv[1:]))
        """, names).stdout.split(separator: "\n").map(String.init)
        #expect(paths.count == names.count)
        for implicit in [false, true] {
            let r = try External.run("python3", [Self.sender, "127.0.0.1", String(serve.port), "DICOMFS", "PYNETDICOM"] + (implicit ? ["--implicit"] : []) + paths)
            let lines = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n")
            #expect(r.status == 0 && lines.count == paths.count, "\(lines) \(r.stderr)")
        }
        let received = ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }
        for p in paths {
            let uid = try #require(try DICOMFile.read(path: p, options: .headerOnly).sopInstanceUID)
            let got = received.filter { $0.contains(uid) }
            let path = try #require(got.first, "\(p) did not arrive")
            let verdict = try sameDataSet(p, serve.spool + "/" + path)
            #expect(verdict.hasPrefix("same ") && verdict.hasSuffix(" PYNETDICOM"), "\(p): \(verdict)")
            let syntax = try DICOMFile.read(path: p, options: .headerOnly).transferSyntax
            if syntax.isEncapsulated { #expect(verdict.contains(syntax.uid), "\(p) arrived as \(verdict)") }
        }
        // Sent twice (Explicit, then Implicit VR): the same data set is one file, not two.
        #expect(received.count == paths.count, "\(received)")
    }

    @Test(.enabled(if: External.hasDCMTK("echoscu", "storescu"), "needs DCMTK"))
    func associationsAreCheckedAtTheDoor() throws {
        let serve = try ServeProcess(["--no-jobs", "--ae", "STATION", "--allow-calling-ae", "PACS"])
        defer { serve.stop() }
        let port = String(serve.port)
        #expect(try External.run(External.dcmtk("echoscu"), ["-aet", "PACS", "-aec", "STATION", "127.0.0.1", port]).status == 0)
        let stranger = try External.run(External.dcmtk("echoscu"), ["-aet", "STRANGER", "-aec", "STATION", "127.0.0.1", port])
        #expect(stranger.status != 0 && stranger.stderr.contains("Association Rejected"), "\(stranger.stderr)")
        #expect(stranger.stderr.contains("Calling AE Title Not Recognized"), "\(stranger.stderr)")
        let wrongCalled = try External.run(External.dcmtk("echoscu"), ["-aet", "PACS", "-aec", "OTHER", "127.0.0.1", port])
        #expect(wrongCalled.status != 0 && wrongCalled.stderr.contains("Called AE Title Not Recognized"), "\(wrongCalled.stderr)")
        #expect(ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }.isEmpty)
    }

    /// Three studies sent, then the idle time: three jobs, each a verified image holding
    /// exactly its study's instances (pydicom's FileSet on what xorriso extracts).
    @Test(.enabled(if: External.hasDCMTK("storescu") && External.has("xorriso") && External.hasPydicom, "needs DCMTK, xorriso, pydicom"))
    func idleStudiesBecomeVerifiedDiscs() throws {
        let serve = try ServeProcess(["--web"], idle: 1.5)
        defer { serve.stop() }
        let dir = try External.tempDirectory().path
        let files = try ServeProcess.corpus(dir, patients: 1, studies: 3, series: 2, images: 3, size: 32)
        #expect(files.count == 18)
        let store = try External.run(External.dcmtk("storescu"), ["-aec", "DICOMFS", "127.0.0.1", String(serve.port)] + files)
        #expect(store.status == 0, "\(store.stderr)")
        let done = ServeProcess.wait(60) {
            ServeProcess.files(serve.out).filter { $0.hasSuffix("STATE.json") }.count == 3
                && ServeProcess.files(serve.out).filter { $0.hasSuffix(".iso") }.count == 3
                && serve.logText.components(separatedBy: "job ended").count == 4
        }
        #expect(done, "\(serve.logText)")
        var studies: Set<String> = []
        for iso in ServeProcess.files(serve.out).filter({ $0.hasSuffix(".iso") }) {
            let image = serve.out + "/" + iso
            let verify = try CLI.run(["verify", image])
            #expect(verify.status == 0, "\(iso): \(verify.stdout) \(verify.stderr)")
            let x = dir + "/x-" + UUID().uuidString
            _ = try External.run("xorriso", ["-osirrox", "on", "-indev", image, "-extract", "/", x])
            let listed = try External.python("""
            import sys
            from pydicom.fileset import FileSet
            fs = FileSet(sys.argv[1] + "/DICOMDIR")
            print(len(fs), len({i.StudyInstanceUID for i in fs}), next(iter(fs)).StudyInstanceUID)
            """, [x])
            let parts = listed.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(parts.count == 3 && parts[0] == "6" && parts[1] == "1", "\(iso): \(listed.stdout) \(listed.stderr)")
            if parts.count == 3 { studies.insert(parts[2]) }
            #expect(FileManager.default.fileExists(atPath: x + "/INDEX.HTM"))
        }
        #expect(studies.count == 3)
    }

    /// The server killed with SIGKILL during a send: every instance that was answered with
    /// success is in the spool, complete (it parses and equals what was sent).
    @Test(.enabled(if: hasPynetdicom, "needs pynetdicom"))
    func killedServerLosesNoAnsweredInstance() throws {
        let serve = try ServeProcess(["--no-jobs"])
        let dir = try External.tempDirectory().path
        let files = try ServeProcess.corpus(dir, patients: 2, studies: 2, series: 2, images: 50, size: 64)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.sender, "127.0.0.1", String(serve.port), "DICOMFS", "SENDER"] + files
        let out = dir + "/sent.txt"
        FileManager.default.createFile(atPath: out, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle.nullDevice
        try p.run()
        let started = ServeProcess.wait(60) { ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count >= 60 }
        serve.kill9()
        p.waitUntilExit()
        #expect(started)
        let answered = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n")
            .filter { $0.hasPrefix("0000 ") }.map { String($0.split(separator: " ")[1]) }
        #expect(answered.count >= 60 && answered.count < files.count, "\(answered.count) of \(files.count)")
        // A restart clears what the kill cut off and writes out what the journal holds.
        let again = try ServeProcess(["--no-jobs", "--spool", serve.spool])
        defer { again.stop() }
        #expect(ServeProcess.files(serve.spool + "/.incoming").isEmpty)
        let received = ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }
        for uid in answered {
            let path = try #require(received.first { $0.hasSuffix("/" + uid + ".dcm") }, "\(uid) was answered with success but is not in the spool")
            let file = try DICOMFile.read(path: serve.spool + "/" + path)
            #expect(file.sopInstanceUID == uid && file.dataSet[.pixelData]?.bytes?.count == 64 * 64 * 2)
        }
    }

    /// 32 associations at once, each sending 20 instances: all arrive.
    @Test(.enabled(if: hasPynetdicom, "needs pynetdicom"))
    func concurrentAssociationsAllComplete() throws {
        let serve = try ServeProcess(["--no-jobs"])
        defer { serve.stop() }
        let dir = try External.tempDirectory().path
        let files = try ServeProcess.corpus(dir, patients: 4, studies: 4, series: 2, images: 20, size: 16)
        #expect(files.count == 640)
        let r = try External.run("python3", [Self.sender, "127.0.0.1", String(serve.port), "DICOMFS", "MANY", "--associations", "32"] + files)
        let ok = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("0000 ") }.count
        #expect(r.status == 0 && ok == 640, "\(ok) \(r.stderr.suffix(500))")
        #expect(ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }.count == 640)
    }

    /// DICOM TLS (PS3.15 B.12: TLS 1.2 or 1.3): DCMTK clients with a certificate the CA signed
    /// echo and store; a plain client on the TLS port gets nothing, and a client whose
    /// certificate the CA did not sign is refused when --tls-ca asks for verification.
    @Test(.enabled(if: External.hasDCMTK("echoscu", "storescu") && External.has("openssl"), "needs DCMTK and openssl"))
    func tlsPortServesOnlyVerifiedTLSClients() throws {
        let dir = try External.tempDirectory().path
        func openssl(_ args: [String]) throws {
            let r = try External.run("openssl", args)
            if r.status != 0 { throw ServeError("openssl \(args.first ?? ""): \(r.stderr)") }
        }
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem", "-subj", "/CN=dicomfs test CA", "-days", "2"])
        for name in ["server", "client"] {
            try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).csr", "-subj", "/CN=\(name)"])
            try openssl(["x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key", "-CAcreateserial",
                         "-out", "\(dir)/\(name).pem", "-days", "2"])
        }
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/rogue.key", "-out", dir + "/rogue.pem", "-subj", "/CN=rogue", "-days", "2"])
        let serve = try ServeProcess(["--no-jobs", "--tls-cert", dir + "/server.pem", "--tls-key", dir + "/server.key", "--tls-ca", dir + "/ca.pem"])
        defer { serve.stop() }
        let port = String(serve.port)
        let tls = ["+tls", dir + "/client.key", dir + "/client.pem", "+cf", dir + "/ca.pem"]
        let echo = try External.run(External.dcmtk("echoscu"), tls + ["-aec", "DICOMFS", "127.0.0.1", port])
        #expect(echo.status == 0, "\(echo.stderr) \(serve.logText.suffix(800))")
        let store = try External.run(External.dcmtk("storescu"), tls + ["-aec", "DICOMFS", "127.0.0.1", port, CLI.sample("ct-head-1.dcm")])
        #expect(store.status == 0, "\(store.stderr)")
        #expect(ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }.count == 1)
        let plain = try External.run(External.dcmtk("echoscu"), ["-to", "5", "-aec", "DICOMFS", "127.0.0.1", port])
        #expect(plain.status != 0, "a plain client was answered on the TLS port")
        let rogue = try External.run(External.dcmtk("echoscu"), ["+tls", dir + "/rogue.key", dir + "/rogue.pem", "+cf", dir + "/ca.pem", "-aec", "DICOMFS", "127.0.0.1", port])
        #expect(rogue.status != 0, "a client certificate the CA did not sign was accepted")
    }

    /// The start of a pynetdicom Media Creation Management SCU (arguments: port, files): an
    /// association from PACS to DICOMFS, and `referencing(files)`, a request's Referenced SOP
    /// Sequence for those files.
    static let mcmClient = """
    import sys, time
    from pydicom import dcmread
    from pydicom.dataset import Dataset
    from pynetdicom import AE
    MCM = "1.2.840.10008.5.1.1.33"
    port = int(sys.argv[1]); files = sys.argv[2:]
    ae = AE(ae_title="PACS"); ae.add_requested_context(MCM)
    a = ae.associate("127.0.0.1", port, ae_title="DICOMFS")
    assert a.is_established
    def referencing(files):
        ds = Dataset(); ds.ReferencedSOPSequence = []
        for f in files:
            x = dcmread(f, stop_before_pixels=True); i = Dataset()
            i.ReferencedSOPClassUID = x.SOPClassUID; i.ReferencedSOPInstanceUID = x.SOPInstanceUID
            ds.ReferencedSOPSequence.append(i)
        return ds

    """

    /// Media Creation Management over DIMSE, driven by pynetdicom as dcm4chee's MCM SCU drives
    /// an SCP: C-STORE of 40 instances, N-CREATE without an instance UID (assigned, and
    /// returned in the attribute list), N-ACTION Initiate, N-GET polling until DONE; then A510
    /// for a second Initiate, C201 for a cancel of a finished job, 0120H/0121H for bad
    /// requests, 0112H for an unknown one, and a request for an instance never sent: N-ACTION
    /// 0110H at once (--mcm-wait 0), then N-GET FAILURE/NO_INSTANCE with the Failed SOP
    /// Sequence (reason 0112H). The image made verifies and holds exactly the 40
    /// instances (pydicom's FileSet on what xorriso extracts).
    @Test(.enabled(if: hasPynetdicom && External.has("xorriso"), "needs pynetdicom and xorriso"))
    func mediaCreationManagementOverDIMSE() throws {
        let serve = try ServeProcess(["--mcm", "--mcm-wait", "0"])
        defer { serve.stop() }
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try ServeProcess.corpus(dir + "/in", patients: 1, studies: 1, series: 2, images: 20, size: 16)
        #expect(files.count == 40)
        let stored = try External.run("python3", [Self.sender, "127.0.0.1", String(serve.port), "DICOMFS", "PACS"] + files)
        #expect(stored.status == 0, "\(stored.stderr)")
        let r = try External.python(Self.mcmClient + """
        ds = referencing(files); ds.LabelText = "MCM TEST"
        st, attrs = a.send_n_create(ds, MCM, None)
        uid = attrs.SOPInstanceUID
        print("create", hex(st.Status), uid)
        act = Dataset(); act.NumberOfCopies = 1; act.RequestPriority = "HIGH"
        st, _ = a.send_n_action(act, 1, MCM, uid); print("initiate", hex(st.Status))
        status = ""
        for _ in range(240):
            st, got = a.send_n_get([0x21000020, 0x21000030, 0x2200000B], MCM, uid)
            status = got.ExecutionStatus
            if status in ("DONE", "FAILURE"): break
            time.sleep(0.5)
        print("get", hex(st.Status), status, got.ExecutionStatusInfo, got.TotalNumberOfPiecesOfMediaCreated, "FailedSOPSequence" in got)
        st, _ = a.send_n_action(act, 1, MCM, uid); print("again", hex(st.Status))
        st, _ = a.send_n_action(None, 2, MCM, uid); print("cancel", hex(st.Status))
        nolist = Dataset(); nolist.LabelText = "NO LIST"   # (an empty Dataset: pynetdicom sends no data PDV at all)
        st, _ = a.send_n_create(nolist, MCM, "1.2.3.4.5.6"); print("missing", hex(st.Status))
        empty = Dataset(); empty.ReferencedSOPSequence = []
        st, _ = a.send_n_create(empty, MCM, "1.2.3.4.5.7"); print("empty", hex(st.Status))
        st, _ = a.send_n_get([], MCM, "1.2.3.4.5.999"); print("unknown", hex(st.Status))
        ghost = Dataset(); i = Dataset(); i.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"; i.ReferencedSOPInstanceUID = "1.2.3.4.5.404"
        ghost.ReferencedSOPSequence = [i]
        st, attrs = a.send_n_create(ghost, MCM, None)
        st, _ = a.send_n_action(None, 1, MCM, attrs.SOPInstanceUID); print("ghost", hex(st.Status))
        st, got = a.send_n_get([], MCM, attrs.SOPInstanceUID)
        failed = got.FailedSOPSequence if "FailedSOPSequence" in got else []
        print("ghostget", got.ExecutionStatus, got.ExecutionStatusInfo, len(failed), hex(failed[0].FailureReason) if failed else "-", failed[0].ReferencedSOPInstanceUID if failed else "-")
        a.release()
        """, [String(serve.port)] + files)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 10, "\(r.stdout) \(r.stderr.suffix(800)) server log: \(serve.logText.suffix(1500))")
        guard lines.count == 10 else { return }
        #expect(lines[0].hasPrefix("create 0x0 "))
        #expect(lines[1] == "initiate 0x0")
        #expect(lines[2] == "get 0x0 DONE NORMAL 1 False", "\(lines[2])")
        #expect(lines[3] == "again 0xa510")
        #expect(lines[4] == "cancel 0xc201")
        #expect(lines[5] == "missing 0x120")
        #expect(lines[6] == "empty 0x121")
        #expect(lines[7] == "unknown 0x112")
        #expect(lines[8] == "ghost 0x110", "\(lines[8])")
        #expect(lines[9] == "ghostget FAILURE NO_INSTANCE 1 0x112 1.2.3.4.5.404", "\(lines[9])")
        let uid = String(lines[0].split(separator: " ").last ?? "")
        let images = ServeProcess.files(serve.out + "/mcm/" + uid).filter { $0.hasSuffix(".iso") }
        #expect(images == ["VOL001.iso"])
        if let iso = images.first {
            let image = serve.out + "/mcm/" + uid + "/" + iso
            let verify = try CLI.run(["verify", image])
            #expect(verify.status == 0, "\(verify.stdout)")
            let x = dir + "/x"
            _ = try External.run("xorriso", ["-osirrox", "on", "-indev", image, "-extract", "/", x])
            let onDisc = try External.python("""
            import sys
            from pydicom import dcmread
            from pydicom.fileset import FileSet
            fs = FileSet(sys.argv[1] + "/DICOMDIR")
            got = sorted(i.SOPInstanceUID for i in fs)
            sent = sorted(dcmread(f, stop_before_pixels=True).SOPInstanceUID for f in sys.argv[2:])
            print(len(got), got == sent)
            """, [x] + files)
            #expect(onDisc.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "40 True", "\(onDisc.stdout) \(onDisc.stderr)")
        }
        // Received for the request, the instances made no idle job of their own.
        #expect(!ServeProcess.files(serve.out).contains { $0.hasSuffix(".store") || ($0.hasSuffix("STATE.json") && !$0.hasPrefix("mcm/")) })
    }

    /// A Media Creation request with Allow Lossy Compression YES is compressed lossily at the
    /// station's --lossy-quality (JPEG 2000 on a J2K profile), and says so in each image's
    /// Derivation Description; one that does not allow it stays lossless.
    @Test(.enabled(if: hasPynetdicom && External.has("xorriso"), "needs pynetdicom and xorriso"))
    func mediaCreationRequestsAllowingLossyGetTheStationsQuality() throws {
        let serve = try ServeProcess(["--mcm", "--mcm-wait", "0", "--profile", "STD-GEN-DVD-J2K", "--lossy-quality", "35"])
        defer { serve.stop() }
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try ServeProcess.corpus(dir + "/in", patients: 1, studies: 1, series: 1, images: 3, size: 32)
        let stored = try External.run("python3", [Self.sender, "127.0.0.1", String(serve.port), "DICOMFS", "PACS"] + files)
        #expect(stored.status == 0, "\(stored.stderr)")
        let r = try External.python(Self.mcmClient + """
        for allow in ("YES", "NO"):
            ds = referencing(files); ds.AllowLossyCompression = allow
            st, attrs = a.send_n_create(ds, MCM, None)
            uid = attrs.SOPInstanceUID
            act = Dataset(); act.NumberOfCopies = 1   # (an empty Dataset: pynetdicom sends no data PDV at all)
            a.send_n_action(act, 1, MCM, uid)
            status = ""
            for _ in range(240):
                st, got = a.send_n_get([0x21000020], MCM, uid)
                status = got.ExecutionStatus
                if status in ("DONE", "FAILURE"): break
                time.sleep(0.5)
            print(allow, uid, status)
        a.release()
        """, [String(serve.port)] + files)
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 2 && lines.allSatisfy { $0.count == 3 && $0[2] == "DONE" },
                "\(r.stdout) \(r.stderr.suffix(800)) server log: \(serve.logText.suffix(1500))")
        guard lines.count == 2, lines.allSatisfy({ $0.count == 3 }) else { return }
        var seen: [String] = []
        for line in lines {
            let image = serve.out + "/mcm/" + line[1] + "/VOL001.iso", x = dir + "/x-" + line[0]
            _ = try External.run("xorriso", ["-osirrox", "on", "-indev", image, "-extract", "/", x])
            let described = try External.python("""
            import sys
            from pydicom.fileset import FileSet
            fs = FileSet(sys.argv[1] + "/DICOMDIR")
            print(sorted({(str(i.load().get("DerivationDescription", "-")), i.TransferSyntaxUID) for i in fs}))
            """, [x])
            seen.append(line[0] + " " + described.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(seen[0].hasPrefix("YES ") && seen[0].contains("quality 35") && seen[0].contains("1.2.840.10008.1.2.4.91"), "\(seen[0])")
        #expect(seen[1].hasPrefix("NO ") && !seen[1].contains("quality") && !seen[1].contains("1.2.840.10008.1.2.4.91"), "\(seen[1])")
    }

    /// A configuration file routes called AE titles to recipes and callers: BYPATIENT (only
    /// PACS may call it) makes one disc of a patient's two studies, BYSTUDY one disc per study;
    /// command-line options take precedence over the file (spool, out, port here). A misspelt
    /// key is refused, naming the file, the section and the key.
    @Test(.enabled(if: External.hasDCMTK("storescu", "echoscu") && External.has("xorriso") && External.hasPydicom, "needs DCMTK, xorriso, pydicom"))
    func configFileRoutesCalledAETitles() throws {
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = dir + "/station.toml"
        try """
        # a station with two called AE titles
        [server]
        host = "127.0.0.1"
        port = 11112
        spool = "/nonexistent/overridden"
        idle = 1.5

        [recipe]
        profile = "STD-GEN-CD"

        [ae.BYPATIENT]
        group = "patient"
        allow-calling-ae = ["PACS"]
        label-text = "ONE DISC PER PATIENT"

        [ae.BYSTUDY]
        group = "study"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let serve = try ServeProcess(["--config", config], idle: 1.5)
        defer { serve.stop() }
        let port = String(serve.port)
        let files = try ServeProcess.corpus(dir + "/in", patients: 1, studies: 2, series: 1, images: 2, size: 16)
        #expect(files.count == 4)
        let stranger = try External.run(External.dcmtk("echoscu"), ["-aet", "STRANGER", "-aec", "BYPATIENT", "127.0.0.1", port])
        #expect(stranger.status != 0 && stranger.stderr.contains("Calling AE Title Not Recognized"), "\(stranger.stderr)")
        #expect(try External.run(External.dcmtk("echoscu"), ["-aet", "STRANGER", "-aec", "BYSTUDY", "127.0.0.1", port]).status == 0)
        for (caller, called) in [("PACS", "BYPATIENT"), ("STRANGER", "BYSTUDY")] {
            let r = try External.run(External.dcmtk("storescu"), ["-aet", caller, "-aec", called, "127.0.0.1", port] + files)
            #expect(r.status == 0, "\(called): \(r.stderr)")
        }
        let images = { ServeProcess.files(serve.out).filter { $0.hasSuffix(".iso") } }
        #expect(ServeProcess.wait(60) { images().count == 3 && serve.logText.components(separatedBy: "job ended").count == 4 }, "\(serve.logText)")
        var found: [String] = []
        for iso in images() {
            let x = dir + "/x-" + UUID().uuidString
            _ = try External.run("xorriso", ["-osirrox", "on", "-indev", serve.out + "/" + iso, "-extract", "/", x])
            let listed = try External.python("""
            import sys
            from pydicom.fileset import FileSet
            fs = FileSet(sys.argv[1] + "/DICOMDIR")
            print(len(fs), len({i.StudyInstanceUID for i in fs}))
            """, [x])
            let ae = iso.contains("-BYPATIENT-") ? "BYPATIENT" : iso.contains("-BYSTUDY-") ? "BYSTUDY" : iso
            found.append(ae + " " + listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(found.sorted() == ["BYPATIENT 4 2", "BYSTUDY 2 1", "BYSTUDY 2 1"], "\(found)")

        try "[server]\nport = 11112\n[ae.X]\ncopys = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["serve", "--config", config])
        #expect(bad.status == 2 && bad.stderr.contains("station.toml: [ae.X] unknown key \"copys\""), "\(bad.stderr)")
        // The lossy quality of Media Creation requests that allow it: 1–100, in the file and as an option.
        try "[server]\nport = 11112\n[recipe]\nlossy-quality = 101\n".write(toFile: config, atomically: true, encoding: .utf8)
        let quality = try CLI.run(["serve", "--config", config])
        #expect(quality.status == 2 && quality.stderr.contains("lossy-quality") && quality.stderr.contains("1–100"), "\(quality.stderr)")
        let option = try CLI.run(["serve", "--spool", dir + "/s", "--out", dir + "/o", "--lossy-quality", "0"])
        #expect(option.status == 2 && option.stderr.contains("--lossy-quality 0: 1–100"), "\(option.stderr)")
    }

    /// A request the jobs' disk cannot hold (here: --min-free larger than the disk) is
    /// answered 0213H (resource limitation) and stays IDLE, to be initiated again later; a
    /// spool at its --max-spool limit answers C-STORE with A700 and keeps what it has.
    @Test(.enabled(if: hasPynetdicom, "needs pynetdicom"))
    func resourceLimitsAnswer0213AndA700() throws {
        var total = statvfs()
        #expect(statvfs(NSTemporaryDirectory(), &total) == 0)
        let disk = Int64(total.f_blocks) * Int64(total.f_frsize)
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try ServeProcess.corpus(dir + "/in", patients: 1, studies: 1, series: 1, images: 4, size: 256)
        let sizes = try files.map { try #require(FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) }
        let limit = sizes[0] + sizes[1] + sizes[2] / 2   // room for two instances, not three
        let serve = try ServeProcess(["--mcm", "--mcm-wait", "0", "--min-free", String(disk), "--max-spool", String(limit)])
        defer { serve.stop() }
        let r = try External.python("""
        import sys
        from pydicom import dcmread
        from pydicom.dataset import Dataset
        from pynetdicom import AE
        MCM = "1.2.840.10008.5.1.1.33"
        port = int(sys.argv[1]); xs = [dcmread(f) for f in sys.argv[2:]]
        ae = AE(ae_title="PACS"); ae.add_requested_context(MCM)
        ae.add_requested_context(xs[0].SOPClassUID, xs[0].file_meta.TransferSyntaxUID)
        a = ae.associate("127.0.0.1", port, ae_title="DICOMFS")
        print("store", " ".join(hex(a.send_c_store(x).Status) for x in xs))
        ds = Dataset(); ds.ReferencedSOPSequence = []
        for x in xs[:2]:
            i = Dataset(); i.ReferencedSOPClassUID = x.SOPClassUID; i.ReferencedSOPInstanceUID = x.SOPInstanceUID
            ds.ReferencedSOPSequence.append(i)
        st, attrs = a.send_n_create(ds, MCM, None)
        st, _ = a.send_n_action(None, 1, MCM, attrs.SOPInstanceUID); print("initiate", hex(st.Status))
        st, got = a.send_n_get([0x21000020], MCM, attrs.SOPInstanceUID); print("get", got.ExecutionStatus)
        a.release()
        """, [String(serve.port)] + files)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines == ["store 0x0 0x0 0xa700 0xa700", "initiate 0x213", "get IDLE"], "\(r.stdout) \(r.stderr.suffix(600))")
        #expect(ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }.count == 2)
    }

    /// GDCM's gdcmscu as a third SCU: C-ECHO and C-STORE succeed and the files arrive. (It
    /// prints a gdcm::Exception about its ProtocolStream at exit against any SCP, DCMTK's
    /// storescp included; its exit status is 0.)
    @Test(.enabled(if: External.has("gdcmscu"), "needs gdcmscu (libgdcm-tools)"))
    func gdcmscuEchoesAndStores() throws {
        let serve = try ServeProcess(["--no-jobs"])
        defer { serve.stop() }
        let port = String(serve.port)
        #expect(try External.run("gdcmscu", ["--echo", "--call", "DICOMFS", "127.0.0.1", port]).status == 0)
        let files = [CLI.sample("ct-head-1.dcm"), CLI.sample("mr-knee.dcm"), CLI.sample("sr-report.dcm")]
        let r = try External.run("gdcmscu", ["--store", "--call", "DICOMFS", "127.0.0.1", port] + files)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }.count == 3)
    }

    /// A PACS may initiate before its C-STOREs are done: the request waits (--mcm-wait) for
    /// the referenced instances to arrive, then runs; the disc holds them.
    @Test(.enabled(if: hasPynetdicom, "needs pynetdicom"))
    func initiateWaitsForInstancesStillArriving() throws {
        let serve = try ServeProcess(["--mcm", "--mcm-wait", "30"])
        defer { serve.stop() }
        let files = [CLI.sample("ct-head-1.dcm"), CLI.sample("ct-head-2.dcm")]
        let r = try External.python("""
        import sys, time
        from pydicom import dcmread
        from pydicom.dataset import Dataset
        from pynetdicom import AE
        MCM = "1.2.840.10008.5.1.1.33"
        port = int(sys.argv[1]); files = [dcmread(f) for f in sys.argv[2:]]
        ae = AE(ae_title="PACS"); ae.add_requested_context(MCM)
        a = ae.associate("127.0.0.1", port, ae_title="DICOMFS")
        ds = Dataset(); ds.ReferencedSOPSequence = []
        for x in files:
            i = Dataset(); i.ReferencedSOPClassUID = x.SOPClassUID; i.ReferencedSOPInstanceUID = x.SOPInstanceUID
            ds.ReferencedSOPSequence.append(i)
        st, attrs = a.send_n_create(ds, MCM, None); uid = attrs.SOPInstanceUID
        st, _ = a.send_n_action(None, 1, MCM, uid); print("initiate", hex(st.Status))
        time.sleep(2)   # the instances come after the Initiate
        s = AE(ae_title="PACS"); s.add_requested_context(files[0].SOPClassUID, files[0].file_meta.TransferSyntaxUID)
        b = s.associate("127.0.0.1", port, ae_title="DICOMFS")
        for x in files: print("store", hex(b.send_c_store(x).Status))
        b.release()
        for _ in range(120):
            st, got = a.send_n_get([0x21000020, 0x21000030], MCM, uid)
            if got.ExecutionStatus in ("DONE", "FAILURE"): break
            time.sleep(0.5)
        print("get", got.ExecutionStatus, got.ExecutionStatusInfo)
        a.release()
        """, [String(serve.port)] + files)
        #expect(r.stdout.split(separator: "\n").map(String.init) == ["initiate 0x0", "store 0x0", "store 0x0", "get DONE NORMAL"], "\(r.stdout) \(r.stderr.suffix(600))")
    }
}
