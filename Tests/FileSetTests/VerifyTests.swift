@testable import FileSet
import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// One deliberately broken file-set per fault; each test asserts the finding it must produce.
@Suite(.tags(.unit)) struct VerifyTests {
    /// A good file-set of the samples, and its DICOMDIR's bytes.
    func good() throws -> String {
        let (_, out) = try Folders.create(try Folders.samples())
        return out
    }

    func dicomdir(_ fs: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: fs + "/DICOMDIR"))) }

    func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// Replaces the first occurrence of an ASCII string with another of the same length.
    func patch(_ fs: String, _ from: String, _ to: String, occurrence: Int = 0) throws {
        var bytes = try dicomdir(fs)
        let a = Array(from.utf8), b = Array(to.utf8)
        precondition(a.count == b.count)
        var seen = 0
        for i in 0...(bytes.count - a.count) where Array(bytes[i..<i + a.count]) == a {
            if seen == occurrence {
                bytes.replaceSubrange(i..<i + a.count, with: b)
                try write(bytes, fs + "/DICOMDIR")
                return
            }
            seen += 1
        }
        Issue.record("\(from) not found")
    }

    func records(_ fs: String) throws -> [DataSet] {
        try #require(try DICOMFile.read(path: fs + "/DICOMDIR").dataSet.sequence(.directoryRecordSequence))
    }

    func patchU32(_ fs: String, at offset: Int, _ value: Int) throws {
        var bytes = try dicomdir(fs)
        for i in 0..<4 { bytes[offset + i] = UInt8((value >> (8 * i)) & 0xFF) }
        try write(bytes, fs + "/DICOMDIR")
    }

    func verify(_ fs: String) throws -> Verifier.Report { try Verifier().verify(path: fs) }

    /// A finding of this rule and severity (and, when given, file, offset and tag): tests
    /// assert on rule identifiers, never on the English of messages.
    func has(_ r: Verifier.Report, _ severity: Finding.Severity, _ rule: FindingRule, file: String? = nil, offset: Int? = nil,
             tag: String? = nil) -> Bool {
        r.findings.contains {
            $0.severity == severity && $0.rule == rule && (file == nil || $0.file == file) && (offset == nil || $0.offset == offset)
                && (tag == nil || $0.tag == tag)
        }
    }

    @Test func goodFileSetIsClean() throws {
        let r = try verify(try good())
        #expect(r.findings.isEmpty, Comment(rawValue: "\(r.findings)"))
        #expect(r.records == 18 && r.referencedFiles == 6)
    }

    @Test func wrongOffset() throws {
        let fs = try good()
        let first = try #require(try records(fs).first?.itemOffset)
        try patchU32(fs, at: first + 38, first + 2)   // PATIENT's lower-level offset, 2 bytes into an item
        let r = try verify(fs)
        // Named by the record that holds the bad offset, and the element holding it.
        #expect(has(r, .error, .offsetDangling, file: "DICOMDIR", offset: first, tag: "(0004,1420)"), "\(r.findings)")
        #expect(r.findings.contains { $0.rule == .offsetDangling && $0.subject.hasPrefix("PATIENT record at byte \(first)") && $0.message.contains("is \(first + 2)") })
        #expect(has(r, .error, .recordUnreachable, file: "DICOMDIR"))
    }

    @Test func cycle() throws {
        let fs = try good()
        let first = try #require(try records(fs).first?.itemOffset)
        try patchU32(fs, at: first + 16, first)       // PATIENT's next record is itself
        #expect(has(try verify(fs), .error, .offsetCycle, file: "DICOMDIR", offset: first, tag: "(0004,1400)"))
    }

    @Test func missingFile() throws {
        let fs = try good()
        try FileManager.default.removeItem(atPath: fs + "/DICOM/P0000002/S0000001/R0000001/I0000001")
        let r = try verify(fs)
        #expect(has(r, .error, .referenceMissingFile, file: "DICOM/P0000002/S0000001/R0000001/I0000001"), "\(r.findings)")
    }

    @Test func wrongUIDInRecord() throws {
        let fs = try good()
        // The CT's SOP Instance UID ends in .1.1.1.1; change that record's copy only.
        let uid = "2.25.174100579610077768568485947674039138581.1.1.1.1.1"
        try patch(fs, uid, "2.25.174100579610077768568485947674039138581.1.1.1.1.9")
        #expect(has(try verify(fs), .error, .referenceMismatch, file: "DICOM/P0000001/S0000001/R0000001/I0000001"))
    }

    @Test func unreferencedFile() throws {
        let fs = try good()
        try write(try SampleFactory.ct(instance: 7), fs + "/DICOM/EXTRA")
        try write(Array("notes".utf8), fs + "/NOTES")
        let r = try verify(fs)
        #expect(has(r, .error, .unreferencedDICOM, file: "DICOM/EXTRA"))
        #expect(r.findings.contains { $0.subject == "NOTES" && $0.severity == .info && $0.rule == .nonDICOM })
    }

    @Test func truncatedInstance() throws {
        let fs = try good()
        let path = fs + "/DICOM/P0000002/S0000001/R0000001/I0000001"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try write(Array(bytes.prefix(bytes.count - 500)), path)
        let r = try verify(fs)
        #expect(has(r, .error, .fileParse, file: "DICOM/P0000002/S0000001/R0000001/I0000001"))
    }

    @Test func executablePreamble() throws {
        let fs = try good()
        let path = fs + "/DICOM/P0000001/S0000001/R0000001/I0000001"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[0] = 0x4D; bytes[1] = 0x5A
        try write(bytes, path)
        #expect(has(try verify(fs), .error, .filePreambleExecutable, file: "DICOM/P0000001/S0000001/R0000001/I0000001"))
    }

    @Test func badFileID() throws {
        let fs = try good()
        try FileManager.default.moveItem(atPath: fs + "/DICOM/P0000003", toPath: fs + "/DICOM/p0000003")
        try patch(fs, "DICOM\\P0000003", "DICOM\\p0000003")
        #expect(has(try verify(fs), .error, .fileIDInvalid, file: "DICOMDIR", tag: "(0004,1500)"))
    }

    @Test func duplicateReference() throws {
        let fs = try good()
        try patch(fs, "R0000001\\I0000002", "R0000001\\I0000001")
        let r = try verify(fs)
        #expect(has(r, .error, .referenceDuplicate))
        #expect(has(r, .error, .unreferencedDICOM, file: "DICOM/P0000001/S0000001/R0000001/I0000002"))
    }

    @Test func caseDifferentNameIsAWarning() throws {
        let fs = try good()
        try FileManager.default.moveItem(atPath: fs + "/DICOM/P0000003/S0000001/R0000001/I0000001",
                                         toPath: fs + "/DICOM/P0000003/S0000001/R0000001/i0000001")
        let r = try verify(fs)
        #expect(has(r, .warning, .referenceCase))
        #expect(r.errors == 0, Comment(rawValue: "\(r.findings)"))
    }

    @Test func missingRequiredKey() throws {
        let fs = try good()
        // Rename the SERIES records' Modality tag (0008,0060) to an unknown (0008,0061) in place.
        var bytes = try dicomdir(fs)
        for i in 0..<(bytes.count - 6) where bytes[i] == 0x08 && bytes[i + 1] == 0 && bytes[i + 2] == 0x60 && bytes[i + 3] == 0
            && bytes[i + 4] == 0x43 && bytes[i + 5] == 0x53 {
            bytes[i + 2] = 0x61
            break
        }
        try write(bytes, fs + "/DICOMDIR")
        #expect(has(try verify(fs), .error, .keyType1, file: "DICOMDIR", tag: "(0008,0060)"))
    }

    /// The structure elements of PS3.3 Table F.3-3 are Type 1: an item without its In-use Flag
    /// is an error at that item, even though a tolerant reader reads on without it.
    @Test func missingStructureElement() throws {
        let fs = try good()
        var bytes = try dicomdir(fs)
        let first = try #require(try records(fs).first?.itemOffset)
        // (0004,1410) in the first item becomes an unknown (0004,1411) in place.
        let flag: [UInt8] = [0x04, 0x00, 0x10, 0x14]
        let at = try #require((first..<(bytes.count - 4)).first { bytes[$0..<($0 + 4)].elementsEqual(flag) })
        bytes[at + 2] = 0x11
        try write(bytes, fs + "/DICOMDIR")
        #expect(has(try verify(fs), .error, .structureMissing, file: "DICOMDIR", offset: first, tag: "(0004,1410)"))
    }

    /// The reader keeps regular leaf records encoded (a verify of 75,000 files held 242 MB of
    /// parsed items before): each must read back exactly as the item it came from.
    @Test func regularLeavesAreKeptEncodedAndReadBackAsParsed() throws {
        let fs = try good()
        let items = try records(fs)
        let read = try DICOMDIRReader.read(path: fs)
        var leaves = 0
        read.dicomdir.forEachRecord { r in
            guard r.isLeaf, case .encoded = r.content else { return }
            leaves += 1
            guard let item = items.first(where: { $0.itemOffset == r.offset }) else { Issue.record("no item at \(r.offset ?? -1)"); return }
            let expected = item.elements.filter { $0.tag.group > 0x0004 }
            #expect(r.keys.elements.map(\.tag) == expected.map(\.tag))
            #expect(r.keys.elements.map(\.bytes) == expected.map(\.bytes))
            #expect(r.reference == InstanceReference(fileID: FileID(trusted: item.strings(.referencedFileID) ?? []),
                                                     sopClassUID: item.string(.referencedSOPClassUIDInFile) ?? "",
                                                     sopInstanceUID: item.string(.referencedSOPInstanceUIDInFile) ?? "",
                                                     transferSyntaxUID: item.string(.referencedTransferSyntaxUIDInFile) ?? "",
                                                     relatedGeneralSOPClassUID: item.string(.referencedRelatedGeneralSOPClassUIDInFile)))
            #expect(r.keys(only: [.instanceNumber]).string(.instanceNumber) == item.string(.instanceNumber))
        }
        #expect(leaves == items.filter { $0.contains(.referencedFileID) }.count)
    }

    /// A leaf whose (0004,xxxx) elements are irregular keeps its parsed item: what is wrong
    /// with them is still reported.
    @Test func anInvalidReferencedUIDIsStillReported() throws {
        let fs = try good()
        let uid = "2.25.174100579610077768568485947674039138581.1.1.1.1.1"
        try patch(fs, uid, "2.25.074100579610077768568485947674039138581.1.1.1.1.1")
        let r = try verify(fs)
        #expect(has(r, .error, .keyValue, file: "DICOMDIR", tag: "(0004,1511)"), "\(r.findings)")
    }

    /// verify opens everything read-only: every byte and modification time stays as it was.
    @Test func readsNothingIntoWriting() throws {
        let fs = try good()
        func snapshot() -> [String: (Data?, Date?)] {
            Dictionary(uniqueKeysWithValues: Folders.files(fs).map { f in
                (f, (try? Data(contentsOf: URL(fileURLWithPath: fs + "/" + f)),
                     (try? FileManager.default.attributesOfItem(atPath: fs + "/" + f))?[.modificationDate] as? Date))
            })
        }
        let before = snapshot()
        _ = try verify(fs)
        let after = snapshot()
        #expect(before.keys.sorted() == after.keys.sorted())
        for (f, (data, date)) in before {
            #expect(after[f]?.0 == data && after[f]?.1 == date, "\(f) changed")
        }
    }

    @Test func notAFileSet() throws {
        #expect(throws: FileSetError.self) { try Verifier().verify(path: try Folders.temp()) }
    }
}
