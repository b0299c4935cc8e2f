import Foundation
import Samples
import Testing
import TestSupport

@Suite(.tags(.interop)) struct CommandLineTests {
    /// Every command answers --help with status 0.
    @Test(arguments: [[String](), ["dump"]])
    func helpOnEveryCommand(_ command: [String]) throws {
        let r = try CLI.run(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE:"))
    }

    @Test func usageErrorsExitWith2() throws {
        #expect(try CLI.run(["no-such-command"]).status == 2)
        #expect(try CLI.run(["dump"]).status == 2)
        #expect(try CLI.run(["dump", "--no-such-option", CLI.sample("mr-knee.dcm")]).status == 2)
    }

    @Test func dumpsASample() throws {
        let r = try CLI.run(["dump", CLI.sample("mr-knee.dcm")])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains("(0010,0010) PN [Müller^Jürgen]"))
        #expect(r.stdout.contains("(0002,0010) UI [1.2.840.10008.1.2.1] = Explicit VR Little Endian"))
        let japanese = try CLI.run(["dump", CLI.sample("ct-japanese.dcm")])
        #expect(japanese.stdout.contains("Yamada^Tarou=山田^太郎=やまだ^たろう"))
    }

    @Test func unreadableInputExitsWith2AndSaysWhere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dicomfs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ct = try SampleFactory.ct(instance: 1)
        let truncated = dir.appendingPathComponent("truncated.dcm")
        try Data(ct.prefix(ct.count - 100)).write(to: truncated)
        let r = try CLI.run(["dump", CLI.sample("sr-report.dcm"), truncated.path])
        #expect(r.status == 2)
        #expect(r.stdout.contains("Basic Text SR"))  // the good file is still dumped
        #expect(r.stderr.contains("\(truncated.path): at byte "))
        #expect(r.stderr.contains("element (7FE0,0010) PixelData: declared length 8192 exceeds"))
        // What was read of the truncated file is printed before the error: its header up to
        // Pixel Data, then where the reading stopped.
        let alone = try CLI.run(["dump", truncated.path])
        #expect(alone.status == 2 && alone.stdout.contains("(0020,000D) UI") && alone.stdout.contains("(0028,0010) US 64"), "\(alone.stdout)")
        #expect(alone.stdout.hasSuffix("# read stops here: declared length 8192 exceeds the 8092 bytes left in the file\n"), "\(alone.stdout)")
        #expect(try CLI.run(["dump", dir.path]).stderr.contains("is a directory"))
    }

    @Test func lenientReadingReportsFindingsWith1() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dicomfs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // A file with no preamble, no meta: a bare implicit VR data set.
        let bare = dir.appendingPathComponent("bare.dcm")
        try Data([0x10, 0x00, 0x20, 0x00, 0x04, 0x00, 0x00, 0x00] + Array("ID01".utf8)).write(to: bare)
        // Read on by default (and with the old --lenient); --strict stops at the first.
        for args in [["dump", bare.path], ["dump", "--lenient", bare.path]] {
            let r = try CLI.run(args)
            #expect(r.status == 1)
            #expect(r.stderr.contains("no File Meta Information"))
            #expect(r.stdout.contains("(0010,0020) LO [ID01]"))
        }
        // An odd value length in a private element (as a real CT has): printed, a warning.
        var odd = [UInt8](try Data(contentsOf: URL(fileURLWithPath: CLI.sample("mr-knee.dcm"))))
        odd += [0x09, 0x00, 0x10, 0x00, 0x4C, 0x4F, 0x05, 0x00] + Array("ODDLN".utf8)
        let oddPath = dir.appendingPathComponent("odd.dcm")
        try Data(odd).write(to: oddPath)
        let read = try CLI.run(["dump", oddPath.path])
        #expect(read.status == 1 && read.stdout.contains("(0009,0010)") && read.stderr.contains("odd"), "\(read.stderr)")
        let strict = try CLI.run(["dump", "--strict", oddPath.path])
        #expect(strict.status == 2 && strict.stderr.contains("odd"), "\(strict.stderr)")
    }

    @Test func headerOnlyStopsBeforePixelData() throws {
        let r = try CLI.run(["dump", "--header-only", "--offsets", CLI.sample("ct-head-1.dcm")])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("PixelData"))
        #expect(r.stdout.contains("# Stopped before byte"))
    }

    /// pydicom's own JSON model reader accepts our --json output and finds the same values.
    @Test(.enabled(if: External.hasPydicom, "needs pydicom")) func jsonIsReadByPydicom() throws {
        for name in ["mr-knee.dcm", "ct-japanese.dcm", "sr-report.dcm"] {
            let json = try CLI.run(["dump", "--json", CLI.sample(name)])
            #expect(json.status == 0)
            let script = """
            import sys, json, pydicom
            ours = pydicom.Dataset.from_json(sys.stdin.read())
            ref = pydicom.dcmread(sys.argv[1])
            def norm(e):
                v = e.value if isinstance(e.value, (list, pydicom.multival.MultiValue)) else [e.value]
                return [float(x) for x in v] if e.VR in ("DS", "IS") else [str(x) for x in v]
            bad = [str(e.tag) for e in ref if e.VR not in ("OB", "OW", "SQ") and ours.get(e.tag) is not None and norm(ours[e.tag]) != norm(e)]
            missing = [str(e.tag) for e in ref if e.tag not in ours]
            print(json.dumps({"bad": bad, "missing": missing, "name": str(ours.PatientName)}))
            """
            let r = try External.python(script, [CLI.sample(name)], stdin: Data(json.stdout.utf8))
            #expect(r.status == 0, Comment(rawValue: r.stderr))
            let result = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect((result?["bad"] as? [String])?.isEmpty == true, Comment(rawValue: "\(name): \(r.stdout)"))
            #expect((result?["missing"] as? [String])?.isEmpty == true, Comment(rawValue: "\(name): \(r.stdout)"))
        }
    }

    @Test func jsonForSeveralFilesIsAnArray() throws {
        let r = try CLI.run(["dump", "--json", CLI.sample("mr-knee.dcm"), CLI.sample("sr-report.dcm")])
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        #expect((parsed as? [Any])?.count == 2)
    }
}
