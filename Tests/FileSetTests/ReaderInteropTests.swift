@testable import FileSet
import DICOM
import Foundation
import Testing
import TestSupport

/// Our reader on DICOMDIRs other tools wrote: pydicom's test sets (written by DCMTK and
/// others) and a fresh dcmmkdir one. The same instances as pydicom's FileSet finds.
@Suite struct ReaderInteropTests {
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

    @Test func pydicomTestDICOMDIRs() throws {
        guard External.requirePydicom() else { return }
        let r = try External.python("import pydicom.data, os; print(os.path.dirname(pydicom.data.__file__))", [])
        let dir = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/test_files/dicomdirtests"
        let (ours, findings) = try ourUIDs(dir + "/DICOMDIR")
        #expect(ours == (try pydicomUIDs(dir + "/DICOMDIR")))
        #expect(ours.count == 31)
        #expect(findings.filter { $0.severity == .error }.isEmpty, Comment(rawValue: "\(findings)"))
    }

    @Test func dcmmkdirDICOMDIR() throws {
        guard External.require("dcmmkdir", because: "reference DICOMDIR writer"), External.requirePydicom() else { return }
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
