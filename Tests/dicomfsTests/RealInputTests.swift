import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// What users bring from other systems goes in, with warnings where the standard is bent,
/// and updates say plainly what they did or why they did nothing.
@Suite(.tags(.interop)) struct RealInputTests {
    /// A first arc other than 0–2 ("999.999.2.…", as in pydicom-data's color-pl.dcm) is a
    /// warning; malformed UIDs (leading zeros, letters) still leave the file out.
    @Test func uidWithAnUnusualFirstArcIsAWarning() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        ds.set(.studyInstanceUID, .UI, "999.999.2.19941105.112000")
        ds.set(.seriesInstanceUID, .UI, "999.999.2.19941105.112000.2")
        ds.set(.sopInstanceUID, .UI, "999.999.2.19941105.112000.2.107")
        try Data(try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: "999.999.2.19941105.112000.2.107"))
            .write(to: URL(fileURLWithPath: source + "/arc.dcm"))
        let c = try CLI.run(["create", source, "-o", dir + "/SET"])
        #expect(c.status == 0, "\(c.stdout)\(c.stderr)")
        #expect(c.stdout.contains("starts with arc 999"), "\(c.stdout)")
        #expect(try CLI.run(["verify", dir + "/SET"]).status == 0)
        #expect(UIDRegistry.isValid("999.999.2.19941105.112000") && !UIDRegistry.isValid("1.02.3") && !UIDRegistry.isValid("1.2.a"))
    }

    @Test func addSkipExistingWhenEverythingIsThereSucceeds() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(try CLI.run(["create", source, "-o", dir + "/SET"]).status == 0)
        let a = try CLI.run(["add", dir + "/SET", source, "--skip-existing"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("all 6 instances are already in the file-set"), "\(a.stdout)")
    }

    @Test func removeWithASelectorThatMatchesNothingRemovesNothing() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        try #require(try CLI.run(["create", source, "-o", set]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR"))
        let r = try CLI.run(["remove", set, "--patient-id", "DCMFS001", "--patient-id", "NO_SUCH"])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("--patient-id NO_SUCH"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR")) == before)
        #expect(FileManager.default.fileExists(atPath: set + "/DICOM/P0000001/S0000001/R0000001/I0000001"))
    }

    /// A value create --invent filled is no inconsistency for verify.
    @Test func inventedValuesAreNotInconsistencies() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        ds.set(.instanceNumber, .IS, "")
        let uid = UIDGenerator.make()
        ds.set(.sopInstanceUID, .UI, uid)
        try Data(try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: uid))
            .write(to: URL(fileURLWithPath: source + "/noinstance.dcm"))
        let c = try CLI.run(["create", source, "-o", dir + "/SET", "--invent"])
        #expect(c.status == 0, "\(c.stdout)\(c.stderr)")
        let v = try CLI.run(["verify", dir + "/SET"])
        #expect(v.status == 0 && !v.stdout.contains("Instance Number is"), "\(v.stdout)")
    }

    /// Messages name the path the user typed and say what is wrong in words; a typo in a
    /// command gets a suggestion; a usage error inside a subcommand shows that subcommand.
    @Test func pathsAndUsageInPlainWords() throws {
        for (args, expect) in [(["ls", "/nonexistent"], "/nonexistent: no such file or folder"),
                               (["verify", "/tmp/no_such_\(UUID().uuidString).iso"], "no such file or folder"),
                               (["unzip", "/tmp/nothing-\(UUID().uuidString).zip", "-o", "/tmp/x"], "no such file"),
                               (["creat", "x"], "did you mean 'create'?"), (["lss"], "did you mean 'ls'?"),
                               (["render", "x.dcm", "-o", "y.png", "--window", "nan,4"], "Usage: dicomfs render")] {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args): \(r.status)")
            #expect(r.stderr.contains(expect), "\(args): \(r.stderr)")
            for leak in ["NSPOSIXErrorDomain", "EndOfData(", "Error Domain=", "CocoaError"] {
                #expect(!r.stderr.contains(leak), "\(args): \(r.stderr)")
            }
        }
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ls = try CLI.run(["ls", dir])
        #expect(ls.status == 2 && ls.stderr.contains(dir + ": no DICOMDIR"), "\(ls.stderr)")
    }

    /// One bad file no longer stops the disc: --skip-invalid leaves out each file that cannot
    /// go in (no Study Instance UID, a SOP Instance UID shared with different contents — the
    /// first in path order stays —, a syntax the profile forbids), lists it with its reason,
    /// writes the rest and exits 1; without it the refusal names the ways forward.
    @Test func skipInvalidLeavesOutWhatCannotGoIn() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var noStudy = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        _ = noStudy.remove(.studyInstanceUID)
        let uid1 = UIDGenerator.make()
        try Data(try Part10Writer.encode(noStudy, sopClassUID: noStudy.string(.sopClassUID) ?? "", sopInstanceUID: uid1))
            .write(to: URL(fileURLWithPath: source + "/x-nostudy.dcm"))
        var twin = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        twin.set(.patientName, .PN, "Other^Contents")
        try Data(try Part10Writer.encode(twin, sopClassUID: twin.string(.sopClassUID) ?? "", sopInstanceUID: twin.string(.sopInstanceUID) ?? ""))
            .write(to: URL(fileURLWithPath: source + "/z-twin.dcm"))
        let implicit = try DICOMFile.read(bytes: try SampleFactory.mr()).dataSet
        let uid2 = UIDGenerator.make()
        var moved = implicit
        moved.set(.sopInstanceUID, .UI, uid2)
        try Data(try Part10Writer.encode(moved, sopClassUID: moved.string(.sopClassUID) ?? "", sopInstanceUID: uid2, transferSyntax: .implicitVRLittleEndian))
            .write(to: URL(fileURLWithPath: source + "/y-implicit.dcm"))

        let refused = try CLI.run(["create", source, "-o", dir + "/A"])
        #expect(refused.status == 1 && refused.stderr.contains("--skip-invalid"), "\(refused.stderr)")
        #expect(refused.stderr.contains("fit --profile STD-GEN-MIME"), "the refusal names no profile that takes every syntax: \(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/A"))

        let r = try CLI.run(["create", source, "-o", dir + "/B", "--skip-invalid", "--json"])
        #expect(r.status == 1, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let leftOut = (report["leftOut"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }.sorted()
        #expect(leftOut == ["x-nostudy.dcm", "y-implicit.dcm", "z-twin.dcm"], "\(report)")
        #expect(report["instances"] as? Int == 6)
        #expect(try CLI.run(["verify", dir + "/B"]).status == 0)
    }

    /// add without --profile takes the narrowest profile every instance of the set already
    /// satisfies: JPEG Baseline goes into a set that holds JPEG Baseline (STD-GEN-DVD-JPEG).
    @Test(.enabled(if: External.hasPydicom, "needs pydicom's JPEG test file"))
    func addUsesTheSetsProfile() throws {
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try External.python("""
        import sys, pydicom
        from pydicom.data import get_testdata_file
        from pydicom.uid import generate_uid
        ds = pydicom.dcmread(get_testdata_file("SC_rgb_jpeg_dcmtk.dcm"))
        for name in ("first", "second"):
            ds.SOPInstanceUID = generate_uid(); ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.save_as(sys.argv[1] + "/" + name + ".dcm")
        """, [dir])
        try #require(made.status == 0, "\(made.stderr)")
        try FileManager.default.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: dir + "/first.dcm", toPath: dir + "/src/first.dcm")
        let c = try CLI.run(["create", dir + "/src", "-o", dir + "/SET", "--profile", "STD-GEN-DVD-JPEG", "--invent"])
        try #require(c.status == 0, "\(c.stdout)\(c.stderr)")
        let a = try CLI.run(["add", dir + "/SET", dir + "/second.dcm", "--invent"])
        #expect(a.status == 0, "\(a.stdout)\(a.stderr)")
        #expect(a.stdout.contains("profile STD-GEN-DVD-JPEG"), "\(a.stdout)")
        let refused = try CLI.run(["add", dir + "/SET", dir + "/second.dcm", "--profile", "STD-GEN-CD"])
        #expect(refused.status != 0)
    }

    /// create never writes a key value verify would reject: an Accession Number "PR\\US" (VM 1)
    /// becomes its first value, a Type 1 Study Date that is no date refuses the file (with
    /// --invent: replaced), a Type 2 key that breaks its VR is written empty; each is said.
    @Test func keyValuesThatBreakTheirVRAreNeverWritten() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        ds.set(.accessionNumber, .SH, ["PR", "US"])
        ds.set(.studyDate, .DA, "20241399")
        ds.set(.studyInstanceUID, .UI, UIDGenerator.make())
        ds.set(.seriesInstanceUID, .UI, UIDGenerator.make())
        let uid = UIDGenerator.make()
        ds.set(.sopInstanceUID, .UI, uid)
        try Data(try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: uid))
            .write(to: URL(fileURLWithPath: source + "/odd-values.dcm"))
        let refused = try CLI.run(["create", source, "-o", dir + "/A"])
        #expect(refused.status == 1 && refused.stderr.contains("StudyDate"), "\(refused.stderr)")
        let c = try CLI.run(["create", source, "-o", dir + "/B", "--invent"])
        #expect(c.status == 0, "\(c.stdout)\(c.stderr)")
        #expect(c.stdout.contains("(VM 1: the first value)") && c.stdout.contains("StudyDate replaced"), "\(c.stdout)")
        let v = try CLI.run(["verify", dir + "/B"])
        #expect(v.status == 0, "\(v.stdout)")
        // verify itself finds such values in a DICOMDIR another writer made.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/B/DICOMDIR")))
        let acc = Array("A0001 ".utf8)
        if let at = (0...(bytes.count - acc.count)).first(where: { bytes[$0..<($0 + acc.count)].elementsEqual(acc) }) {
            bytes.replaceSubrange(at..<(at + acc.count), with: Array("PR\\US ".utf8))
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/B/DICOMDIR"))
            let bad = try CLI.run(["verify", dir + "/B", "--json"])
            #expect(bad.status == 1 && bad.stdout.contains("record.key.value") && bad.stdout.contains("(0008,0050)"), "\(bad.stdout)")
        } else {
            Issue.record("the sample's accession number A0001 is not in the DICOMDIR")
        }
    }

    /// Progress on a terminal names its phase with counts and clears the rest of the line
    /// (no stale characters); with stderr not a terminal there is none.
    @Test(.enabled(if: External.has("script"), "needs util-linux script for a pseudo-terminal"))
    func progressOnATerminalOnly() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tty = try External.run("script", ["-qec", "'\(CLI.binary.path)' create '\(source)' -o '\(dir)/A'", "/dev/null"])
        let screen = String(decoding: tty.stdout, as: UTF8.self)
        #expect(screen.contains("scanning 6 of 6") && screen.contains("\u{1B}[K"), "\(screen)")
        let plain = try CLI.run(["create", source, "-o", dir + "/B"])
        #expect(plain.status == 0 && !plain.stderr.contains("scanning"), "\(plain.stderr)")
    }
}
