@testable import FileSet
import DICOM
import Foundation
import Testing
import TestSupport

/// Our reader on DICOMDIRs other tools wrote: pydicom's test sets (written by DCMTK and
/// others) and a fresh dcmmkdir one. The same instances as pydicom's FileSet finds.
@Suite(.tags(.interop)) struct ReaderInteropTests {
    func pydicomUIDs(_ dicomdir: String) throws -> Set<String> {
        let script = "import sys, pydicom\nfrom pydicom.fileset import FileSet\nprint('\\n'.join(i.SOPInstanceUID for i in FileSet(pydicom.dcmread(sys.argv[1]))))"
        let r = try External.python(script, [dicomdir])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        return Set(r.stdout.split(separator: "\n").map(String.init))
    }

    func ourUIDs(_ dicomdir: String) throws -> (Set<String>, [Finding]) {
        let result = try DICOMDIRReader.read(path: dicomdir)
        return (Set(FlatRow.rows(result.dicomdir.roots).map(\.sopInstanceUID)), result.findings)
    }

    @Test(.enabled(if: External.hasPydicom, "needs pydicom")) func pydicomTestDICOMDIRs() throws {
        let r = try External.python("import pydicom.data, os; print(os.path.dirname(pydicom.data.__file__))", [])
        let dir = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/test_files/dicomdirtests"
        let (ours, findings) = try ourUIDs(dir + "/DICOMDIR")
        #expect(ours == (try pydicomUIDs(dir + "/DICOMDIR")))
        #expect(ours.count == 31)
        #expect(findings.filter { $0.severity == .error }.isEmpty, Comment(rawValue: "\(findings)"))
    }

    @Test(.enabled(if: External.has("dcmmkdir") && External.hasPydicom, "needs dcmmkdir, pydicom")) func dcmmkdirDICOMDIR() throws {
        let source = try Folders.corpus(naming: .ids, patients: 2, studies: 1)
        let made = try External.run("sh", ["-c", "cd '\(source)' && dcmmkdir +r +id . -Pgp"])
        #expect(made.status == 0, Comment(rawValue: made.stderr))
        let (ours, findings) = try ourUIDs(source + "/DICOMDIR")
        #expect(ours == (try pydicomUIDs(source + "/DICOMDIR")))
        #expect(ours.count == 2 * 1 * 2 * 3 + 2 * 4)
        #expect(findings.isEmpty, Comment(rawValue: "\(findings)"))
        let report = try Verifier().verify(path: source)
        #expect(report.errors == 0, Comment(rawValue: "\(report.findings)"))
    }

    @Test func ourOwnRoundTrip() throws {
        let (_, out) = try Folders.create(try Folders.corpus())
        let result = try DICOMDIRReader.read(path: out)
        #expect(result.findings.isEmpty)
        #expect(result.dicomdir.fileSetUID == "1.2.826.0.1.3680043.10.543.1")
        let rows = FlatRow.rows(result.dicomdir.roots)
        #expect(rows.count == 60)
        #expect(rows.allSatisfy { FileManager.default.fileExists(atPath: out + "/" + $0.fileID) })
    }
}

extension ReaderInteropTests {
    /// The errors verify reports on a set another tool wrote, beyond those dciodvfy reports on
    /// it too (DciodvfyAgreementTests): gdcmgendir leaves (0008,0005) out of records whose
    /// names are not ASCII; pydicom copies CONTAINS items into SR records' Content Sequence.
    func errorsBeyondDciodvfys(_ set: String) throws -> [Finding] {
        try Verifier().verify(path: set).findings.filter { f in
            f.severity == .error && !(f.rule == .keyValue
                && (f.tag == Tag.relationshipType.description || f.message.contains("outside the default character repertoire")))
        }
    }

    /// GDCM's gdcmgendir points (0004,1202) at the last record of the sequence: a warning only.
    @Test(.enabled(if: External.has("gdcmgendir") && External.hasPydicom, "needs gdcmgendir, pydicom")) func gdcmDICOMDIR() throws {
        let fs = try Folders.corpus(naming: .ids, patients: 2, studies: 1)
        for f in Folders.files(fs) where !f.hasPrefix("PAT") { try FileManager.default.removeItem(atPath: fs + "/" + f) }
        let made = try External.run("sh", ["-c", "cd '\(fs)' && gdcmgendir -i . -o '\(fs)/DICOMDIR' -r"])
        #expect(made.status == 0, Comment(rawValue: made.stderr))
        let (ours, findings) = try ourUIDs(fs + "/DICOMDIR")
        #expect(ours == (try pydicomUIDs(fs + "/DICOMDIR")))
        #expect(findings.contains { $0.severity == .warning && $0.message.contains("(0004,1202)") })
        #expect(try errorsBeyondDciodvfys(fs).isEmpty)
    }

    /// dcm4che style: undefined lengths everywhere, a deleted patient left as inactive records.
    @Test(.enabled(if: External.hasPydicom, "needs pydicom")) func dcm4cheStyleDICOMDIR() throws {
        let (_, fs) = try Folders.create(try Folders.corpus(patients: 2, studies: 1))
        var read = try DICOMDIRReader.read(path: fs)
        read.dicomdir.roots[0].modifyAll { $0.inUse = false }
        let bytes = try DICOMDIRWriter(undefinedLengths: true).encode(read.dicomdir)
        try Data(bytes).write(to: URL(fileURLWithPath: fs + "/DICOMDIR"))
        read = try DICOMDIRReader.read(path: fs)
        let sequence = try #require(read.file.dataSet[.directoryRecordSequence])
        #expect(sequence.hadUndefinedLength)
        #expect(read.inactiveRecords == 1 + 1 + 6 + 10)  // PATIENT, STUDY, 6 SERIES, 10 leaves
        #expect(read.dicomdir.roots.count == 1)
        let report = try Verifier().verify(path: fs)
        #expect(report.errors == 0, Comment(rawValue: "\(report.findings.filter { $0.severity == .error })"))
        #expect(report.findings.filter { $0.message.contains("inactive (deleted) record") }.count == 10)
        // pydicom reads it too (it revives inactive records, so only the count of records is compared).
        let r = try External.python("import sys, pydicom\nds = pydicom.dcmread(sys.argv[1])\nprint(len(ds.DirectoryRecordSequence))", [fs + "/DICOMDIR"])
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(read.dicomdir.allRecords.count + read.inactiveRecords)")
    }

    /// A file-set pydicom wrote: listed, verified, and added to in its own layout.
    @Test(.enabled(if: External.hasPydicom, "needs pydicom")) func pydicomWrittenFileSet() throws {
        let source = try Folders.corpus(naming: .ids, patients: 1, studies: 1)
        let out = try Folders.temp() + "/pyfs"
        let script = """
        import sys, os, pydicom
        from pydicom.fileset import FileSet
        fs = FileSet()
        for d, _, names in os.walk(sys.argv[1]):
            for n in sorted(names):
                fs.add(pydicom.dcmread(os.path.join(d, n)))
        fs.write(sys.argv[2])
        """
        let w = try External.python(script, [source, out])
        #expect(w.status == 0, Comment(rawValue: w.stderr))
        let (ours, findings) = try ourUIDs(out + "/DICOMDIR")
        #expect(ours == (try pydicomUIDs(out + "/DICOMDIR")))
        #expect(findings.isEmpty, Comment(rawValue: "\(findings)"))
        #expect(try errorsBeyondDciodvfys(out).isEmpty)
        // Add one more image of an existing series: it goes into that series' folder.
        let read = try DICOMDIRReader.read(path: out)
        let series = try #require(read.dicomdir.roots.first?.children.first?.children.first(where: { $0.children.first?.type == .image }))
        let existing = try #require(series.children.first?.reference?.fileID)
        var ds = try DICOMFile.read(path: out + "/" + existing.path).dataSet
        ds.set(.sopInstanceUID, .UI, "1.2.826.0.1.3680043.10.543.90")
        ds.set(.instanceNumber, .IS, "9")
        let src = try Folders.temp()
        try Folders.write(try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: "1.2.826.0.1.3680043.10.543.90"), "x.dcm", in: src)
        let report = try FileSetUpdater.add(fileSet: out, inputs: [src], options: UpdateOptions())
        #expect(report.added.first?.hasPrefix(existing.components.dropLast().joined(separator: "/") + "/") == true)
        #expect(try errorsBeyondDciodvfys(out).isEmpty)
        #expect(try pydicomUIDs(out + "/DICOMDIR").count == ours.count + 1)
    }
}
