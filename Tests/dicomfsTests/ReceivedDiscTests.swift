import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// Discs received from elsewhere: read as other readers read them, and judged by one
/// exit-status rule.
@Suite(.tags(.interop)) struct ReceivedDiscTests {
    func set() throws -> (dir: String, set: String) {
        let (dir, source) = try CLI.sampleSource()
        let set = dir + "/SET"
        try #require(try CLI.run(["create", source, "-o", set]).status == 0)
        return (dir, set)
    }

    /// A disc mounted without Rock Ridge shows "dicomdir": found, with a warning.
    @Test func lowerCaseDICOMDIRIsFound() throws {
        let (dir, set) = try set()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.moveItem(atPath: set + "/DICOMDIR", toPath: set + "/dicomdir")
        let l = try CLI.run(["ls", set, "--flat", "--json"])
        #expect(l.status == 0 && l.stderr.contains("found only as \"dicomdir\""), "\(l.stderr)")
        #expect(l.stdout.components(separatedBy: "sopInstanceUID").count - 1 == 6)
        let v = try CLI.run(["verify", set, "--json"])
        #expect(v.status == 0, "\(v.stdout)")
        #expect(v.stdout.contains("\"reference.case\""))
    }

    /// `ls` that prints an error finding exits 1; an absent (0004,1200) is called missing.
    @Test func lsWithErrorsExits1AndMissingIsMissing() throws {
        let (dir, set) = try set()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR")))
        // (0004,1200) UL → an unknown private-looking tag (0004,1201) in place: it is gone.
        let tag: [UInt8] = [0x04, 0x00, 0x00, 0x12, 0x55, 0x4C]
        let at = try #require((0...(bytes.count - 6)).first { bytes[$0..<($0 + 6)].elementsEqual(tag) })
        bytes[at + 2] = 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: set + "/DICOMDIR"))
        let l = try CLI.run(["ls", set])
        #expect(l.status == 1, "\(l.stderr)")
        #expect(l.stderr.contains("(0004,1200) Offset of the First Directory Record of the Root Directory Entity is missing"), "\(l.stderr)")
        #expect(try CLI.run(["ls", set + "/DICOM"]).status == 2)
        #expect(try CLI.run(["verify", set]).status == 1)
    }

    /// iso and burn run verify's checks first: a File-set ID with a space (which would become
    /// the Volume ID) is refused, --force masters it with the findings printed.
    @Test func isoRefusesWhatVerifyRejects() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        try #require(try CLI.run(["create", source, "-o", set, "--fileset-id", "TINYALPHA"]).status == 0)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR")))
        let old = Array("TINYALPHA".utf8)
        let at = try #require((0...(bytes.count - old.count)).first { bytes[$0..<($0 + old.count)].elementsEqual(old) })
        bytes.replaceSubrange(at..<(at + old.count), with: Array("TINY ALPH".utf8))
        try Data(bytes).write(to: URL(fileURLWithPath: set + "/DICOMDIR"))
        let refused = try CLI.run(["iso", set, "-o", dir + "/a.iso"])
        #expect(refused.status == 2 && refused.stderr.contains("File-set ID") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/a.iso"))
        let burn = try CLI.run(["burn", set, "--drive", "stdio:" + dir + "/b.iso"])
        #expect(burn.status == 2, "\(burn.stderr)")
        let forced = try CLI.run(["iso", set, "-o", dir + "/a.iso", "--force"])
        #expect(forced.status == 0 && forced.stderr.contains("File-set ID"), "\(forced.stderr)")
    }

    /// pydicom's "nooffset" DICOMDIR: its last item claims more bytes than the file has. The
    /// reader reads what is there (as pydicom and dcmdump do), lists the 31 instances pydicom
    /// lists, and reports the damage as an error at its byte offset (exit 1).
    @Test(.enabled(if: External.hasPydicom, "needs pydicom's dicomdirtests"))
    func oneDamagedItemDoesNotHideTheRest() throws {
        let located = try External.python("import os, pydicom; print(os.path.join(os.path.dirname(pydicom.__file__), 'data', 'test_files', 'dicomdirtests'))", [])
        let tests = located.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        try FileManager.default.createDirectory(atPath: set, withIntermediateDirectories: true)
        for name in ["77654033", "98892001", "98892003"] { try FileManager.default.copyItem(atPath: tests + "/" + name, toPath: set + "/" + name) }
        try FileManager.default.copyItem(atPath: tests + "/DICOMDIR-nooffset", toPath: set + "/DICOMDIR")
        let l = try CLI.run(["ls", set, "--flat", "--json"])
        #expect(l.status == 1, "\(l.stderr)")
        #expect(l.stdout.components(separatedBy: "sopInstanceUID").count - 1 == 31)
        #expect(l.stderr.contains("at byte 10860") && l.stderr.contains("exceeds"), "\(l.stderr)")
        let v = try CLI.run(["verify", set, "--json"])
        #expect(v.status == 1 && v.stdout.contains("\"dicomdir.damaged\""))
    }

    /// burn --multi onto a stdio: file (overwritable: sessions emulated by libisoburn) is
    /// accepted; add --media then grows a second session that verify and xorriso both see.
    @Test(.enabled(if: External.has("xorriso"), "needs xorriso"))
    func multiSessionOnAStdioFile() throws {
        let (dir, set) = try set()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["iso", set, "-o", dir + "/a.iso"]).status == 0)
        let burned = try CLI.run(["burn", dir + "/a.iso", "--drive", "stdio:" + dir + "/disc.iso", "--multi"])
        #expect(burned.status == 0, "\(burned.stderr)")
        let more = dir + "/more"
        try FileManager.default.createDirectory(atPath: more, withIntermediateDirectories: true)
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 3)).dataSet
        let uid = UIDGenerator.make()
        ds.set(.sopInstanceUID, .UI, uid)
        try Data(try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: uid))
            .write(to: URL(fileURLWithPath: more + "/new.dcm"))
        let added = try CLI.run(["add", "--media", dir + "/disc.iso", more])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try CLI.run(["verify", dir + "/disc.iso"]).status == 0)
        let toc = try External.run("xorriso", ["-indev", dir + "/disc.iso", "-toc"])
        #expect(String(decoding: toc.stdout, as: UTF8.self).contains("2 sessions"), "\(String(decoding: toc.stdout, as: UTF8.self))")
    }

    /// A referenced file that is a symbolic link out of the set is an error for verify (and
    /// iso refuses the set), never followed.
    @Test func referencedLinkOutOfTheSetIsAnError() throws {
        let (dir, set) = try set()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = set + "/DICOM/P0000001/S0000001/R0000001/I0000001"
        try FileManager.default.moveItem(atPath: file, toPath: dir + "/outside.dcm")
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: dir + "/outside.dcm")
        let v = try CLI.run(["verify", set, "--json"])
        #expect(v.status == 1 && v.stdout.contains("\"reference.not-regular\""), "\(v.stdout)")
        #expect(try CLI.run(["iso", set, "-o", dir + "/x.iso"]).status == 2)
    }
}
