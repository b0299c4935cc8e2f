import Foundation
import Samples
import Testing
import TestSupport

@Suite(.tags(.interop)) struct CreateCommandTests {
    func sourceWithSamples() throws -> String { try CLI.sampleSource().source }

    @Test func createsAndReportsAsJSON() throws {
        let source = try sourceWithSamples()
        let out = try External.tempDirectory().path + "/disc"
        let r = try CLI.run(["create", source, "-o", out, "--json", "--fileset-id", "SAMPLES"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["instances"] as? Int == 6)
        #expect(report["fileSetID"] as? String == "SAMPLES")
        #expect((report["records"] as? [String: Int])?["PATIENT"] == 3)
        #expect(FileManager.default.fileExists(atPath: out + "/DICOMDIR"))
    }

    @Test func usageAndRefusals() throws {
        let source = try sourceWithSamples()
        #expect(try CLI.run(["create", source]).status == 2)                       // no -o
        #expect(try CLI.run(["create", source, "-o", "/tmp/x", "--in-place"]).status == 2)
        #expect(try CLI.run(["create", source, "-o", "/tmp/x", "--profile", "NOPE"]).status == 2)
        #expect(try CLI.run(["create", "/nonexistent", "-o", "/tmp/x"]).status == 2)
        // An existing, non-empty output is left alone.
        let busy = try External.tempDirectory().path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: busy + "/keep.txt"))
        let r = try CLI.run(["create", source, "-o", busy])
        #expect(r.status == 2)
        #expect(r.stderr.contains("exists and is not an empty folder"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy) == ["keep.txt"])
        // A folder without DICOM files: exit 2, nothing written.
        let out = try External.tempDirectory().path + "/never"
        let empty = try CLI.run(["create", CLI.repoRoot.appendingPathComponent("Tests/Interop").path, "-o", out])
        #expect(empty.status == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A failure while committing leaves neither the output nor the hidden partial folder.
    @Test func failedCommitLeavesNothingBehind() throws {
        let parent = try External.tempDirectory().path
        let r = try CLI.run(["create", try sourceWithSamples(), "-o", parent + "/disc", "--descriptor", parent])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    @Test func dryRunWritesNothing() throws {
        let out = try External.tempDirectory().path + "/dry"
        let r = try CLI.run(["create", try sourceWithSamples(), "-o", out, "--dry-run"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Would create file-set"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// As root every file is readable, so the unreadable case runs as nobody (setpriv).
    @Test(.enabled(if: External.has("setpriv") && getuid() == 0, "needs setpriv, root")) func unreadableFileIsReportedAndTheRestGoesIn() throws {
        let base = try External.tempDirectory().path
        chmod(base, 0o777)
        let source = base + "/in"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        chmod(source, 0o755)
        for s in try SampleFactory.all().prefix(3) {
            try Data(s.bytes).write(to: URL(fileURLWithPath: source + "/" + s.fileName))
        }
        let locked = source + "/locked.dcm"
        try Data(try SampleFactory.sr()).write(to: URL(fileURLWithPath: locked))
        chmod(locked, 0o000)
        let r = try External.run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary.path,
                                             "create", source, "-o", base + "/out"])
        #expect(r.status == 1, Comment(rawValue: r.stderr))
        let text = String(decoding: r.stdout, as: UTF8.self)
        #expect(text.contains("Unusable DICOM files, left out: 1"))
        #expect(text.contains("locked.dcm: "))
        #expect(text.contains("Permission denied"))
        #expect(text.contains("Instances:    3"))
    }
}
