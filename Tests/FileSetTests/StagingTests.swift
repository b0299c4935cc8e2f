@testable import FileSet
import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// create and add stage through one function (`Staging.stage`): given the same messy folder
/// they refuse the same files for the same reasons, and `--skip-invalid` leaves out the same
/// ones. (Before, add had its own copy of the checks and disagreed: it refused identical
/// copies create keeps once, and named no ways forward.)
@Suite("Staging is shared by create and add", .tags(.unit)) struct StagingTests {
    /// Two good CTs, an identical copy of one, a file without Study Instance UID, a file that
    /// shares a UID with different contents, and an Implicit VR file STD-GEN-CD forbids.
    func messyFolder() throws -> String {
        let source = try Folders.temp()
        try Folders.write(try SampleFactory.ct(instance: 1), "a-ct1.dcm", in: source)
        try Folders.write(try SampleFactory.ct(instance: 2), "b-ct2.dcm", in: source)
        try Folders.write(try SampleFactory.ct(instance: 2), "c-copy-of-ct2.dcm", in: source)
        var noStudy = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 3)).dataSet
        _ = noStudy.remove(.studyInstanceUID)
        try Folders.write(try Part10Writer.encode(noStudy, sopClassUID: noStudy.string(.sopClassUID) ?? "", sopInstanceUID: "1.2.3.4.77"),
                          "x-nostudy.dcm", in: source)
        var twin = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        twin.set(.patientName, .PN, "Other^Contents")
        try Folders.write(try Part10Writer.encode(twin, sopClassUID: twin.string(.sopClassUID) ?? "", sopInstanceUID: twin.string(.sopInstanceUID) ?? ""),
                          "z-twin.dcm", in: source)
        let mr = try DICOMFile.read(bytes: try SampleFactory.mr()).dataSet
        try Folders.write(try Part10Writer.encode(mr, sopClassUID: mr.string(.sopClassUID) ?? "", sopInstanceUID: "1.2.3.4.78",
                                                  transferSyntax: .implicitVRLittleEndian), "y-implicit.dcm", in: source)
        return source
    }

    /// A set to add to, holding an instance none of the messy files has.
    func existingSet() throws -> String {
        let base = try Folders.temp()
        try Folders.write(try SampleFactory.ct(instance: 9), "ct9.dcm", in: base)
        return try Folders.create(base).1
    }

    func refusal(_ body: () throws -> Void) -> [String]? {
        do { try body() } catch FileSetError.rejected(let all) { return all } catch { return ["unexpected: \(error)"] }
        return nil
    }

    @Test func createAndAddRefuseTheSameFilesForTheSameReasons() throws {
        let source = try messyFolder()
        let set = try existingSet()
        let byCreate = try #require(refusal { _ = try Folders.create(source) })
        let byAdd = try #require(refusal {
            var o = UpdateOptions()
            o.profile = .stdGenCD
            _ = try FileSetUpdater.add(fileSet: set, inputs: [source], options: o)
        })
        let problems = byCreate.filter { !$0.hasPrefix("ways forward:") }
        #expect(problems.count == 3, "\(byCreate)")
        #expect(byAdd.map { $0.replacingOccurrences(of: source + "/", with: "") } == byCreate)
    }

    @Test func skipInvalidLeavesOutTheSameFiles() throws {
        let source = try messyFolder()
        let set = try existingSet()
        let (created, _) = try Folders.create(source) { $0.skipInvalid = true }
        var o = UpdateOptions()
        o.profile = .stdGenCD
        o.skipInvalid = true
        let added = try FileSetUpdater.add(fileSet: set, inputs: [source], options: o)
        let strip = { (s: String) in s.replacingOccurrences(of: source + "/", with: "") }
        #expect(created.leftOut.map(\.path) == ["x-nostudy.dcm", "y-implicit.dcm", "z-twin.dcm"])
        #expect(created.leftOut.map(\.rule) == [.instanceUIDMissing, .profileTransferSyntax, .instanceUIDDuplicate])
        #expect(added.leftOut.map(\.rule) == created.leftOut.map(\.rule))
        #expect(added.leftOut.map { strip($0.path) } == created.leftOut.map(\.path))
        #expect(added.leftOut.map { strip($0.reason) } == created.leftOut.map(\.reason))
        #expect(created.duplicates.count == 1 && added.duplicates.map(strip) == created.duplicates)
        #expect(created.instances == 2 && added.added.count == 2)
    }
}
