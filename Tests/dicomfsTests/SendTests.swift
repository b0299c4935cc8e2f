import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// `dicomfs send`, judged by the receivers: Orthanc (its REST API says what it holds), DCMTK's
/// storescp restricted to Implicit VR, and `dicomfs serve`. Loopback only; every server is
/// started by the test and stopped by it.
@Suite("dicomfs send", .serialized, .tags(.stress)) struct SendTests {
    /// Orthanc on two free loopback ports with its own storage, for the length of a test.
    final class OrthancProcess {
        let process = Process()
        let http: Int
        let dicom: Int
        let dir: String
        init() throws {
            dir = try External.tempDirectory().path
            http = Self.freePort()
            dicom = Self.freePort()
            let config = """
            {"Name": "dicomfs-test", "StorageDirectory": "\(dir)/db", "IndexDirectory": "\(dir)/db", "HttpPort": \(http),
             "DicomPort": \(dicom), "DicomAet": "ORTHANC", "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
             "DicomCheckCalledAet": false, "Plugins": [], "ConcurrentJobs": 1}
            """
            try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/Orthanc")
            process.arguments = [dir + "/config.json"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            guard ServeProcess.wait(30, { (try? self.get("/system")) != nil }) else { throw ServeError("Orthanc did not start") }
        }
        deinit { stopProcess(process) }
        func get(_ path: String) throws -> Any {
            let r = try External.run("curl", ["-sf", "http://127.0.0.1:\(http)" + path])
            guard r.status == 0 else { throw ServeError("GET \(path): curl \(r.status)") }
            return try JSONSerialization.jsonObject(with: r.stdout)
        }
        static func freePort() -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            return Int(UInt16(bigEndian: addr.sin_port))
        }
    }

    /// A received disc as dcmmkdir writes it: the samples under File IDs, its DICOMDIR.
    func dcmmkdirSet() throws -> String {
        let dir = try External.tempDirectory().path
        var n = 0
        for s in try SampleFactory.all() {
            n += 1
            try FileManager.default.createDirectory(atPath: dir + "/DICOM", withIntermediateDirectories: true)
            try Data(s.bytes).write(to: URL(fileURLWithPath: dir + "/DICOM/IM\(n)"))
        }
        let r = try External.run("/bin/sh", ["-c", "cd '\(dir)' && dcmmkdir +r +id . -Pgp +I"])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/Orthanc") && External.has("dcmmkdir", "curl"), "needs Orthanc, dcmmkdir, curl"))
    func aReceivedDiscGoesIntoOrthancWithThePatientReconciled() throws {
        let orthanc = try OrthancProcess()
        let set = try dcmmkdirSet()
        let dry = try CLI.run(["send", set, "--to", "ORTHANC@127.0.0.1:\(orthanc.dicom)", "--set", "PatientID=LOCAL123", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("→ LOCAL123"), "\(dry.stdout) \(dry.stderr)")
        #expect((try orthanc.get("/instances") as? [Any])?.count == 0, "a dry run sent something")
        let r = try CLI.run(["send", set, "--to", "ORTHANC@127.0.0.1:\(orthanc.dicom)", "--set", "PatientID=LOCAL123", "--json"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let ids = try #require(try orthanc.get("/instances") as? [String])
        #expect(ids.count == (try SampleFactory.all()).count)
        for id in ids {
            let tags = try #require(try orthanc.get("/instances/\(id)/tags?simplify") as? [String: Any])
            #expect(tags["PatientID"] as? String == "LOCAL123")
            let original = try #require(tags["OriginalAttributesSequence"] as? [[String: Any]], "no Original Attributes Sequence")
            let modified = original.first?["ModifiedAttributesSequence"] as? [[String: Any]]
            #expect((modified?.first?["PatientID"] as? String)?.hasPrefix("DCMFS") == true, "\(original)")
            #expect(original.first?["ModifyingSystem"] as? String == "DICOMFS")
        }
        // The disc itself is untouched.
        #expect(try CLI.run(["verify", set]).status == 0)
        let onDisc = try External.run("dcmdump", ["+P", "PatientID", set + "/DICOM/IM1"])
        #expect(String(decoding: onDisc.stdout, as: UTF8.self).contains("DCMFS"))
    }

    /// The send killed halfway: a re-run with the same journal sends only the rest, and the
    /// receiver ends with every instance once.
    @Test func aKilledSendResumesWhereItStopped() throws {
        let serve = try ServeProcess(["--no-jobs"])
        defer { serve.stop() }
        let dir = try External.tempDirectory().path
        _ = try ServeProcess.corpus(dir + "/files", patients: 1, studies: 2, series: 2, images: 75, size: 64)
        let journal = dir + "/journal.txt"
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["send", dir + "/files", "--to", "DICOMFS@127.0.0.1:\(serve.port)", "--journal", journal]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let halfway = ServeProcess.wait(60) { ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").split(separator: "\n").count >= 50 }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(halfway)
        let acknowledged = ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").split(separator: "\n").count
        #expect(acknowledged >= 50 && acknowledged < 300, "\(acknowledged)")
        let again = try CLI.run(["send", dir + "/files", "--to", "DICOMFS@127.0.0.1:\(serve.port)", "--journal", journal, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(report["sentBefore"] as? Int == acknowledged && report["sent"] as? Int == 300 - acknowledged, "\(report["sent"] ?? "") \(report["sentBefore"] ?? "")")
        #expect(ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }.count == 300)
    }

    /// A peer that takes only Implicit VR LE: native instances go re-encoded, a JPEG instance
    /// decompressed (pixels as pydicom with GDCM decodes the original).
    @Test(.enabled(if: External.hasDCMTK("storescp") && External.hasPydicom && External.hasPythonModule("gdcm"), "needs DCMTK storescp, pydicom, python-gdcm"))
    func aPeerThatTakesOnlyImplicitVR() throws {
        let dir = try External.tempDirectory().path
        let port = OrthancProcess.freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: External.dcmtk("storescp"))
        p.arguments = ["+xi", "-od", dir + "/in", "--aetitle", "IMPLICIT", String(port)]
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { stopProcess(p, grace: 0) }
        usleep(500_000)
        let jpeg = try External.python("from pydicom.data import get_testdata_file; print(get_testdata_file('SC_rgb_jpeg_dcmtk.dcm'))", []).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: jpeg, toPath: dir + "/src/jpeg.dcm")
        try FileManager.default.copyItem(atPath: CLI.sample("mr-knee.dcm"), toPath: dir + "/src/mr.dcm")
        let r = try CLI.run(["send", dir + "/src", "--to", "IMPLICIT@127.0.0.1:\(port)", "--json"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let entries = report["instances"] as? [[String: Any]] ?? []
        #expect(entries.allSatisfy { $0["status"] as? String == "0000" }, "\(entries)")
        let received = try FileManager.default.contentsOfDirectory(atPath: dir + "/in").sorted()
        #expect(received.count == 2)
        for f in received {
            #expect(try DICOMFile.read(path: dir + "/in/" + f, options: .headerOnly).transferSyntax.uid == "1.2.840.10008.1.2")
        }
        let same = try External.python("""
        import sys, os, numpy as np, pydicom
        a = pydicom.dcmread(sys.argv[1])
        got = [pydicom.dcmread(os.path.join(sys.argv[2], n)) for n in os.listdir(sys.argv[2])]
        b = next(g for g in got if g.SOPInstanceUID == a.SOPInstanceUID)
        print(int(np.abs(a.pixel_array.astype(int) - b.pixel_array.astype(int)).max()), b.PhotometricInterpretation)
        """, [jpeg, dir + "/in"])
        #expect(same.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0 RGB", "\(same.stdout) \(same.stderr)")
    }

    /// --new-uids: every Study, Series and SOP Instance UID of the set is replaced on the copy
    /// sent, references inside the set follow (an SR's evidence list names the new image
    /// UIDs), the old SOP Instance UID is kept in Original Attributes Sequence, and a second
    /// send gives the same new UIDs (the receiver keeps one copy of each).
    @Test(.enabled(if: External.hasPydicom, "needs pydicom"))
    func newUIDsReplaceTheSetsUIDsConsistently() throws {
        let serve = try ServeProcess(["--no-jobs"])
        defer { serve.stop() }
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let src = dir + "/src"
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        for name in ["ct-head-1.dcm", "ct-head-2.dcm"] { try FileManager.default.copyItem(atPath: CLI.sample(name), toPath: src + "/" + name) }
        let made = try External.python("""
        import sys, pydicom
        from pydicom.dataset import Dataset
        sr = pydicom.dcmread(sys.argv[1]); cts = [pydicom.dcmread(f, stop_before_pixels=True) for f in sys.argv[3:]]
        refs = []
        for c in cts:
            r = Dataset(); r.ReferencedSOPClassUID = c.SOPClassUID; r.ReferencedSOPInstanceUID = c.SOPInstanceUID; refs.append(r)
        series = Dataset(); series.SeriesInstanceUID = cts[0].SeriesInstanceUID; series.ReferencedSOPSequence = refs
        study = Dataset(); study.StudyInstanceUID = cts[0].StudyInstanceUID; study.ReferencedSeriesSequence = [series]
        sr.CurrentRequestedProcedureEvidenceSequence = [study]
        sr.save_as(sys.argv[2])
        print("ok")
        """, [CLI.sample("sr-report.dcm"), src + "/sr.dcm", src + "/ct-head-1.dcm", src + "/ct-head-2.dcm"])
        #expect(made.stdout.hasPrefix("ok"), "\(made.stderr)")
        for _ in 0..<2 {
            let r = try CLI.run(["send", src, "--to", "DICOMFS@127.0.0.1:\(serve.port)", "--new-uids", "--json"])
            #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        }
        // (The second send's copies differ in Attribute Modification DateTime only, so the
        // receiver may keep them beside the first as B000: compared by name, UID.dcm.)
        let all = ServeProcess.files(serve.spool).filter { $0.hasSuffix(".dcm") }
        let received = all.filter { !$0.hasSuffix(".1.dcm") }.map { serve.spool + "/" + $0 }
        #expect(received.count == 3, "\(all)")
        let check = try External.python("""
        import sys, pydicom
        n = int(sys.argv[1]); sent = [pydicom.dcmread(f) for f in sys.argv[2:2 + n]]; got = [pydicom.dcmread(f) for f in sys.argv[2 + n:]]
        old = {u for d in sent for u in (d.StudyInstanceUID, d.SeriesInstanceUID, d.SOPInstanceUID)}
        def uids(ds):
            for e in ds:
                if e.keyword == "OriginalAttributesSequence": continue
                if e.VR == "UI": yield from (e.value if e.VR == "UI" and isinstance(e.value, list) else [e.value])
                if e.VR == "SQ":
                    for i in e.value: yield from uids(i)
        leaked = [u for g in got for u in uids(g) if u in old]
        kept = sorted(g.OriginalAttributesSequence[0].ModifiedAttributesSequence[0].SOPInstanceUID for g in got)
        sr = next(g for g in got if "CurrentRequestedProcedureEvidenceSequence" in g)
        evidence = sorted(r.ReferencedSOPInstanceUID for r in sr.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence)
        images = sorted(g.SOPInstanceUID for g in got if g is not sr)
        studies = {g.StudyInstanceUID for g in got}
        print(len(leaked), kept == sorted(d.SOPInstanceUID for d in sent), evidence == images, len(studies))
        """, ["3", src + "/ct-head-1.dcm", src + "/ct-head-2.dcm", src + "/sr.dcm"] + received)
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0 True True 1", "\(check.stdout) \(check.stderr)")
    }

    @Test func aSetWithErrorsIsNotSentUnlessForced() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["create", source, "-o", dir + "/set"]).status == 0)
        let first = try #require(ServeProcess.files(dir + "/set").first { $0.hasPrefix("DICOM/") })
        try FileManager.default.removeItem(atPath: dir + "/set/" + first)
        let r = try CLI.run(["send", dir + "/set", "--to", "PACS@127.0.0.1:9"])
        #expect(r.status == 1 && r.stderr.contains("verification found") && r.stderr.contains("nothing was sent"), "\(r.stderr)")
        let bad = try CLI.run(["send", dir + "/set", "--to", "nonsense"])
        #expect(bad.status == 2 && bad.stderr.contains("AE@host:port"), "\(bad.stderr)")
    }
}
