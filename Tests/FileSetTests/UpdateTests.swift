@testable import FileSet
import DICOM
import Foundation
import Samples
import Testing
import TestSupport

@Suite(.tags(.interop)) struct UpdateTests {
    func hashes(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in Folders.files(dir) where f != "DICOMDIR" { out[f] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f)) }
        return out
    }

    func newCT(_ instance: Int, uid: String) throws -> [UInt8] {
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        ds.set(.instanceNumber, .IS, String(instance))
        ds.set(.sopInstanceUID, .UI, uid)
        return try Part10Writer.encode(ds, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: uid)
    }

    @Test func addKeepsExistingFilesAndIdentity() throws {
        let (created, fs) = try Folders.create(try Folders.samples()) { $0.fileSetID = "KEEP" }
        let before = try hashes(fs)
        let more = try Folders.corpus(patients: 1, studies: 1)
        let report = try FileSetUpdater.add(fileSet: fs, inputs: [more], options: UpdateOptions())
        #expect(report.added.count == 10)
        let after = try hashes(fs)
        for (path, data) in before { #expect(after[path] == data, "\(path) changed") }
        let read = try DICOMDIRReader.read(path: fs)
        #expect(read.dicomdir.fileSetUID == created.fileSetUID && read.dicomdir.fileSetID == "KEEP")
        let v = try Verifier().verify(path: fs)
        #expect(v.errors == 0 && v.referencedFiles == 16, Comment(rawValue: "\(v.findings)"))
        #expect(!FileManager.default.fileExists(atPath: fs + "/" + Journal.name))
    }

    @Test func addIntoAnExistingSeriesUsesItsFolder() throws {
        let (_, fs) = try Folders.create(try Folders.samples())
        let src = try Folders.temp()
        try Folders.write(try newCT(3, uid: "1.2.826.0.1.3680043.10.543.77"), "ct3.dcm", in: src)
        let report = try FileSetUpdater.add(fileSet: fs, inputs: [src + "/ct3.dcm"], options: UpdateOptions())
        #expect(report.added == ["DICOM/P0000001/S0000001/R0000001/I0000003"])
        let series = try DICOMDIRReader.read(path: fs).dicomdir.roots[0].children[0].children[0]
        #expect(series.children.count == 3)
        #expect(try Verifier().verify(path: fs).errors == 0)
    }

    @Test func duplicatesAreRefusedOrSkipped() throws {
        let (_, fs) = try Folders.create(try Folders.samples())
        let src = try Folders.samples()
        #expect(throws: FileSetError.self) { try FileSetUpdater.add(fileSet: fs, inputs: [src], options: UpdateOptions()) }
        var options = UpdateOptions()
        options.skipExisting = true
        // Nothing left to add: success that says so, nothing written.
        let none = try FileSetUpdater.add(fileSet: fs, inputs: [src], options: options)
        #expect(none.nothingToDo && none.added.isEmpty && none.notes.contains { $0.contains("all 6 instances") })
        try Folders.write(try newCT(4, uid: "1.2.826.0.1.3680043.10.543.78"), "new.dcm", in: src)
        let r = try FileSetUpdater.add(fileSet: fs, inputs: [src], options: options)
        #expect(r.added.count == 1 && r.skippedExisting.count == 6)
    }

    @Test func removeSeriesCompactsAndDeletes() throws {
        let (_, fs) = try Folders.create(try Folders.corpus(patients: 2, studies: 1))
        let read = try DICOMDIRReader.read(path: fs)
        let firstSeries = read.dicomdir.roots[0].children[0].children[0]
        let uid = try #require(firstSeries.keys.string(.seriesInstanceUID))
        let files = firstSeries.children.compactMap { $0.reference?.fileID.path }
        let report = try FileSetUpdater.remove(fileSet: fs, selector: { var s = RemoveSelector(); s.seriesUIDs = [uid]; return s }(), options: UpdateOptions())
        #expect(Set(report.removed) == Set(files))
        for f in files { #expect(!FileManager.default.fileExists(atPath: fs + "/" + f)) }
        #expect(!FileManager.default.fileExists(atPath: fs + "/" + (files[0].split(separator: "/").dropLast().joined(separator: "/"))))
        let after = try DICOMDIRReader.read(path: fs)
        #expect(after.inactiveRecords == 0)
        #expect(!after.dicomdir.allRecords.contains { $0.keys.string(.seriesInstanceUID) == uid })
        #expect(try Verifier().verify(path: fs).errors == 0)
        // Removing the rest of a patient removes the PATIENT record too.
        let pid = try #require(after.dicomdir.roots[0].keys.string(.patientID))
        _ = try FileSetUpdater.remove(fileSet: fs, selector: { var s = RemoveSelector(); s.patientIDs = [pid]; return s }(), options: UpdateOptions())
        #expect(try DICOMDIRReader.read(path: fs).dicomdir.roots.count == 1)
        #expect(throws: FileSetError.self) {
            try FileSetUpdater.remove(fileSet: fs, selector: { var s = RemoveSelector(); s.patientIDs = ["NOBODY"]; return s }(), options: UpdateOptions())
        }
    }

    /// On file-sets other writers made, add keeps their layout and the result verifies;
    /// dciodvfy and pydicom agree.
    @Test(.enabled(if: External.has("dcmmkdir", "dciodvfy") && External.hasPydicom, "needs dcmmkdir, dciodvfy, pydicom")) func addAndRemoveOnADcmmkdirFileSet() throws {
        let fs = try Folders.corpus(naming: .ids, patients: 1, studies: 1)
        #expect(try External.run("sh", ["-c", "cd '\(fs)' && dcmmkdir +r +id . -Pgp"]).status == 0)
        // One more instance of the first series goes into that series' folder.
        let first = try DICOMFile.read(path: fs + "/PAT00001/STU00001/SER00001/IMG00001").dataSet
        var ds = first
        ds.set(.sopInstanceUID, .UI, "1.2.826.0.1.3680043.10.543.79")
        ds.set(.instanceNumber, .IS, "4")
        let src = try Folders.temp()
        try Folders.write(try Part10Writer.encode(ds, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.826.0.1.3680043.10.543.79"), "x.dcm", in: src)
        let r = try FileSetUpdater.add(fileSet: fs, inputs: [src], options: UpdateOptions())
        #expect(r.added == ["PAT00001/STU00001/SER00001/I0000001"])
        let errors = try External.run("dciodvfy", [fs + "/DICOMDIR"]).stderr.split(separator: "\n").filter { $0.hasPrefix("Error") }
        #expect(errors.isEmpty, Comment(rawValue: errors.joined(separator: "\n")))
        let count = try External.python("import sys, pydicom\nfrom pydicom.fileset import FileSet\nprint(len(FileSet(pydicom.dcmread(sys.argv[1]))))", [fs + "/DICOMDIR"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "11")  // 6 images + SR, KO, PR, PDF + the one added
        _ = try FileSetUpdater.remove(fileSet: fs, selector: { var s = RemoveSelector(); s.fileIDs = ["PAT00001\\STU00001\\SER00001\\IMG00002"]; return s }(), options: UpdateOptions())
        #expect(try Verifier().verify(path: fs).errors == 0)
        let afterRemove = try External.run("dciodvfy", [fs + "/DICOMDIR"]).stderr.split(separator: "\n").filter { $0.hasPrefix("Error") }
        #expect(afterRemove.isEmpty, Comment(rawValue: afterRemove.joined(separator: "\n")))
        let left = try External.python("import sys, pydicom\nfrom pydicom.fileset import FileSet\nprint(len(FileSet(pydicom.dcmread(sys.argv[1]))))", [fs + "/DICOMDIR"])
        #expect(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "10")
    }

    /// A journal left by an interrupted add: verify calls its files leftovers, the next update deletes them.
    @Test func interruptedAddIsRecovered() throws {
        let (_, fs) = try Folders.create(try Folders.samples())
        try Folders.write(try newCT(5, uid: "1.2.826.0.1.3680043.10.543.80"), "DICOM/P0000009/S0000001/R0000001/I0000001", in: fs)
        try Journal(paths: ["DICOM/P0000009/S0000001/R0000001/I0000001"]).write(in: fs)
        let v = try Verifier().verify(path: fs)
        #expect(v.errors == 0, Comment(rawValue: "\(v.findings)"))
        #expect(v.findings.contains { $0.severity == .info && $0.message.contains("interrupted dicomfs add") })
        let src = try Folders.temp()
        try Folders.write(try newCT(6, uid: "1.2.826.0.1.3680043.10.543.81"), "y.dcm", in: src)
        let r = try FileSetUpdater.add(fileSet: fs, inputs: [src], options: UpdateOptions())
        #expect(r.recovered == ["DICOM/P0000009/S0000001/R0000001/I0000001"])
        #expect(!FileManager.default.fileExists(atPath: fs + "/DICOM/P0000009"))
        #expect(try Verifier().verify(path: fs).findings.filter { $0.severity != .info }.isEmpty)
    }
}
