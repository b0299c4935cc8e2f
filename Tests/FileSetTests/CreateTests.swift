@testable import FileSet
import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// The File-set Creator's behaviour: layout, keys, refusals, reports.
@Suite(.tags(.unit)) struct CreateTests {
    @Test func copiesEveryInstanceByteForByteUnderValidFileIDs() throws {
        let source = try Folders.samples()
        let (report, out) = try Folders.create(source)
        #expect(report.instances == 6)
        #expect(report.records == ["PATIENT": 3, "STUDY": 4, "SERIES": 5, "IMAGE": 5, "SR DOCUMENT": 1])
        let files = Folders.files(out)
        #expect(files.contains("DICOMDIR"))
        for f in files where f != "DICOMDIR" {
            #expect(FileID(path: f) != nil, "\(f) is not a valid File ID")
            #expect(f.hasPrefix("DICOM/"))
        }
        // Byte for byte: every source file is in the output exactly once.
        let sourceFiles = Set(try SampleFactory.all().map { Data($0.bytes) })
        let copies = try files.filter { $0 != "DICOMDIR" }.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) }
        #expect(Set(copies) == sourceFiles && copies.count == sourceFiles.count)
    }

    @Test func sameInputSameDICOMDIR() throws {
        let source = try Folders.corpus()
        let (_, a) = try Folders.create(source)
        let (_, b) = try Folders.create(source)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/DICOMDIR")) == Data(contentsOf: URL(fileURLWithPath: b + "/DICOMDIR")))
        #expect(Folders.files(a) == Folders.files(b))
    }

    @Test func recordsAndOffsets() throws {
        let (_, out) = try Folders.create(try Folders.samples())
        let file = try DICOMFile.read(path: out + "/DICOMDIR")
        #expect(file.meta.string(.mediaStorageSOPClassUID) == DICOMDIR.sopClassUID)
        #expect(file.meta.string(.mediaStorageSOPInstanceUID) == "1.2.826.0.1.3680043.10.543.1")
        #expect(file.transferSyntax == .explicitVRLittleEndian)
        let ds = file.dataSet
        #expect(ds.int(.fileSetConsistencyFlag) == 0)
        #expect(ds.contains(.fileSetID))
        let items = try #require(ds.sequence(.directoryRecordSequence))
        let sequence = try #require(ds[.directoryRecordSequence])
        // Item offsets: each item's first element starts 8 bytes after the item tag.
        let offsets = items.map { ($0.elements.first?.offset ?? 0) - 8 }
        #expect(offsets.first == (sequence.valueOffset ?? 0))
        #expect(ds.int(.offsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity) == offsets.first)
        let types = items.map { $0.string(.directoryRecordType) ?? "" }
        #expect(types.prefix(4) == ["PATIENT", "STUDY", "SERIES", "IMAGE"])
        // The last root record is the last PATIENT; every pointer lands on an item start.
        let lastPatient = types.lastIndex(of: "PATIENT").map { offsets[$0] }
        #expect(ds.int(.offsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity) == lastPatient)
        let starts = Set(offsets)
        for item in items {
            #expect(item.elements.prefix(3).map(\.tag) == [.offsetOfTheNextDirectoryRecord, .recordInUseFlag, .offsetOfReferencedLowerLevelDirectoryEntity])
            #expect(item.int(.recordInUseFlag) == 0xFFFF)
            for tag in [Tag.offsetOfTheNextDirectoryRecord, .offsetOfReferencedLowerLevelDirectoryEntity] {
                let v = item.int(tag) ?? -1
                #expect(v == 0 || starts.contains(v))
            }
        }
        // Leaves name their file and its UIDs.
        let leaf = try #require(items.first { $0.string(.directoryRecordType) == "SR DOCUMENT" })
        #expect(leaf.strings(.referencedFileID)?.count == 5)
        #expect(leaf.string(.referencedSOPClassUIDInFile) == "1.2.840.10008.5.1.4.1.1.88.11")
        #expect(leaf.string(.referencedTransferSyntaxUIDInFile) == "1.2.840.10008.1.2.1")
        #expect(leaf.contains(.conceptNameCodeSequence) && leaf.contains(.completionFlag))
    }

    @Test func characterSetOnlyWhereAKeyNeedsIt() throws {
        let (_, out) = try Folders.create(try Folders.samples())
        let items = try #require(try DICOMFile.read(path: out + "/DICOMDIR").dataSet.sequence(.directoryRecordSequence))
        let patients = items.filter { $0.string(.directoryRecordType) == "PATIENT" }
        let muller = try #require(patients.first { $0.string(.patientID) == "DCMFS002" })
        #expect(muller.string(.specificCharacterSet) == "ISO_IR 100")
        #expect(muller.string(.patientName) == "Müller^Jürgen")
        let japanese = try #require(patients.first { $0.string(.patientID) == "DCMFS003" })
        #expect(japanese.strings(.specificCharacterSet) == ["", "ISO 2022 IR 87"])
        #expect(japanese.personName(.patientName)?.ideographic == "山田^太郎")
        let doe = try #require(patients.first { $0.string(.patientID) == "DCMFS001" })
        #expect(!doe.contains(.specificCharacterSet))
        // SERIES records of the Latin-1 patient hold only ASCII keys: no (0008,0005) there.
        #expect(items.filter { $0.string(.directoryRecordType) == "SERIES" }.allSatisfy { !$0.contains(.specificCharacterSet) })
    }

    @Test func profileViolationNamesFileSyntaxAndProfile() throws {
        let source = try Folders.temp()
        let mr = try DICOMFile.read(bytes: try SampleFactory.mr())
        let implicit = try Part10Writer.encode(mr.dataSet, sopClassUID: "1.2.840.10008.5.1.4.1.1.4", sopInstanceUID: "1.2.3.4.5",
                                               transferSyntax: .implicitVRLittleEndian)
        try Folders.write(implicit, "mr-implicit.dcm", in: source)
        try Folders.write(try SampleFactory.ct(instance: 1), "ct.dcm", in: source)
        #expect {
            _ = try Folders.create(source)
        } throws: { error in
            guard case .rejected(let all) = error as? FileSetError else { return false }
            let problems = all.filter { !$0.hasPrefix("ways forward:") }   // the refusal's last line names the remedies
            return all.last?.contains("--skip-invalid") == true && problems == ["mr-implicit.dcm: transfer syntax 1.2.840.10008.1.2 (Implicit VR Little Endian) is not allowed by STD-GEN-CD (--transcode rewrites it)"]
        }
        let (report, _) = try Folders.create(source) { $0.profile = .named("STD-GEN-MIME")! }
        #expect(report.instances == 2)
    }

    @Test func missingType1KeysFailOrAreInvented() throws {
        let source = try Folders.temp()
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        ds.remove(.studyID)
        ds.remove(.seriesNumber)
        try Folders.write(try Part10Writer.encode(ds, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.9"), "a/no-ids.dcm", in: source)
        #expect {
            _ = try Folders.create(source)
        } throws: { error in
            guard case .rejected(let problems) = error as? FileSetError else { return false }
            return problems.contains("a/no-ids.dcm: missing Type 1 key (0020,0010) StudyID for the STUDY record (PS3.3 F.5-2); --invent fills it")
                && problems.contains("a/no-ids.dcm: missing Type 1 key (0020,0011) SeriesNumber for the SERIES record (PS3.3 F.5-3); --invent fills it")
        }
        let (report, out) = try Folders.create(source) { $0.invent = true }
        #expect(report.invented.contains("a/no-ids.dcm: StudyID = A0001 for the STUDY record"))
        #expect(report.invented.contains("a/no-ids.dcm: SeriesNumber = 1 for the SERIES record"))
        let items = try #require(try DICOMFile.read(path: out + "/DICOMDIR").dataSet.sequence(.directoryRecordSequence))
        #expect(items.first { $0.string(.directoryRecordType) == "SERIES" }?.string(.seriesNumber) == "1")
    }

    @Test func duplicates() throws {
        let source = try Folders.temp()
        let ct = try SampleFactory.ct(instance: 1)
        try Folders.write(ct, "one/ct.dcm", in: source)
        try Folders.write(ct, "two/same.dcm", in: source)
        let (report, _) = try Folders.create(source)
        #expect(report.instances == 1)
        #expect(report.duplicates.first?.contains("two/same.dcm is an identical copy of one/ct.dcm") == true)
        var changed = ct
        changed[changed.count - 1] ^= 0xFF
        try Folders.write(changed, "three/other.dcm", in: source)
        #expect {
            _ = try Folders.create(source)
        } throws: { error in
            guard case .rejected(let problems) = error as? FileSetError else { return false }
            return problems.contains { $0.contains("one/ct.dcm and three/other.dcm have the same SOP Instance UID") }
        }
    }

    @Test func inconsistentPatientIsReportedAndStrictRefuses() throws {
        let source = try Folders.temp()
        try Folders.write(try SampleFactory.ct(instance: 1), "a.dcm", in: source)
        var other = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 2)).dataSet
        other.set(.patientName, .PN, "Doe^Janet")
        try Folders.write(try Part10Writer.encode(other, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.10"), "b.dcm", in: source)
        let (report, _) = try Folders.create(source)
        #expect(report.inconsistencies == ["Patient ID DCMFS001: PatientName is \"Doe^Jane\" in a.dcm but \"Doe^Janet\" in b.dcm"])
        #expect(throws: FileSetError.self) { try Folders.create(source) { $0.strict = true } }
    }

    /// A scan thread shares the previous file's level blobs with the next file only when they
    /// are the same bytes: a file whose patient name differs keeps blobs of its own.
    @Test func levelBlobsAreSharedOnlyWhenTheyAreTheSameBytes() throws {
        let source = try Folders.temp()
        try Folders.write(try SampleFactory.ct(instance: 1), "a.dcm", in: source)
        try Folders.write(try SampleFactory.ct(instance: 2), "b.dcm", in: source)
        var other = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 3)).dataSet
        other.set(.patientName, .PN, "Doe^Janet")
        try Folders.write(try Part10Writer.encode(other, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.10"), "c.dcm", in: source)
        let profile = ApplicationProfile.stdGenCD
        let (levels, options) = (InstanceScanner.LevelTags(profile: profile), InstanceScanner.readOptions(for: profile))
        let keyMaker = RecordKeyMaker(profile: profile, invent: false)
        func scan(_ name: String) throws -> ScannedInstance {
            let result = InstanceScanner.scanOne(root: source, relative: name, levels: levels, options: options, keyMaker: keyMaker)
            guard case .instance(let found) = result else { throw FileSetError.io("\(name) was not scanned: \(result)") }
            return found
        }
        let (a, b, c) = (try scan("a.dcm"), try scan("b.dcm"), try scan("c.dcm"))
        func storage(_ i: ScannedInstance) -> UnsafeRawPointer? { i.levelBlobs.bytes.withUnsafeBytes { $0.baseAddress } }
        #expect(!a.levelBlobs.bytes.isEmpty)
        #expect(storage(a) == storage(b))
        #expect(storage(c) != storage(b))
        #expect(Array(c.levelBlobs.patient) != Array(b.levelBlobs.patient))
        #expect(Array(c.levelBlobs.series) == Array(b.levelBlobs.series))
    }

    @Test func inPlaceValidatesEveryPath() throws {
        let source = try Folders.temp()
        try Folders.write(try SampleFactory.ct(instance: 1), "DICOM/ct.dcm", in: source)
        try Folders.write(try SampleFactory.ct(instance: 2), "dicom/IM2", in: source)
        try Folders.write(try SampleFactory.mr(), "DICOM/MR-IMAGE-LONGNAME", in: source)
        try Folders.write(try SampleFactory.sr(), "1/2/3/4/5/6/7/8/SR", in: source)
        var options = CreateOptions()
        options.inPlace = true
        #expect {
            _ = try FileSetCreator.create(source: source, output: nil, options: options)
        } throws: { error in
            guard case .rejected(let all) = error as? FileSetError else { return false }
            let p = all.filter { !$0.hasPrefix("ways forward:") }
            return p.count == 4
                && p.contains("DICOM/ct.dcm: not a valid File ID: component \"ct.dcm\" has an extension; File IDs have none")
                && p.contains("dicom/IM2: not a valid File ID: component \"dicom\" has lower-case letters; only A–Z, 0–9 and _ are allowed")
                && p.contains { $0.hasPrefix("DICOM/MR-IMAGE-LONGNAME: not a valid File ID: component \"MR-IMAGE-LONGNAME\" has the character \"-\"") && $0.contains("17 characters, at most 8") }
                && p.contains("1/2/3/4/5/6/7/8/SR: not a valid File ID: 9 path components, at most 8 allowed (PS3.10 §8.2)")
        }
        #expect(!FileManager.default.fileExists(atPath: source + "/DICOMDIR"))
    }

    @Test func inPlaceWritesOnlyTheDICOMDIR() throws {
        let source = try Folders.corpus(naming: .ids, patients: 2, studies: 1)
        let before = Folders.files(source)
        var options = CreateOptions()
        options.inPlace = true
        let report = try FileSetCreator.create(source: source, output: nil, options: options)
        #expect(Folders.files(source) == (before + ["DICOMDIR"]).sorted())
        #expect(report.instances == before.count)
        // A second run refuses to replace it unless asked.
        #expect(throws: FileSetError.self) { try FileSetCreator.create(source: source, output: nil, options: options) }
        options.replaceExistingDICOMDIR = true
        #expect(try FileSetCreator.create(source: source, output: nil, options: options).instances == before.count)
    }

    @Test func optionsAreValidated() throws {
        let source = try Folders.samples()
        #expect(throws: FileSetError.self) { try Folders.create(source) { $0.fileSetID = "lower case" } }
        #expect(throws: FileSetError.self) { try Folders.create(source) { $0.fileSetUID = "1.2.abc" } }
        #expect(throws: FileSetError.self) { try Folders.create(source) { $0.descriptorPath = "/nonexistent/README" } }
        let existing = try Folders.temp()
        try Folders.write([1, 2, 3], "keep.txt", in: existing)
        var options = CreateOptions()
        #expect(throws: FileSetError.self) { try FileSetCreator.create(source: source, output: existing, options: options) }
        #expect(Folders.files(existing) == ["keep.txt"])
        options.dryRun = true
        let dry = try Folders.temp() + "/dry"
        #expect(try FileSetCreator.create(source: source, output: dry, options: options).instances == 6)
        #expect(!FileManager.default.fileExists(atPath: dry))
    }

    @Test func descriptorFile() throws {
        let source = try Folders.samples()
        let readme = try Folders.temp() + "/readme.txt"
        try Data("Images of Jane Doe\n".utf8).write(to: URL(fileURLWithPath: readme))
        let (_, out) = try Folders.create(source) {
            $0.descriptorPath = readme
            $0.descriptorCharacterSet = "ISO_IR 100"
            $0.fileSetID = "DOE_2024"
        }
        let ds = try DICOMFile.read(path: out + "/DICOMDIR").dataSet
        #expect(ds.string(.fileSetDescriptorFileID) == "README")
        #expect(ds.string(.specificCharacterSetOfFileSetDescriptorFile) == "ISO_IR 100")
        #expect(ds.string(.fileSetID) == "DOE_2024")
        #expect(try String(contentsOfFile: out + "/README", encoding: .utf8) == "Images of Jane Doe\n")
    }

    @Test func hostileFolderGivesAReportAndAFileSetOfTheGoodFiles() throws {
        let source = try Folders.temp()
        let outside = try Folders.temp()
        try Folders.write(try SampleFactory.ct(instance: 1), "good/ct1.dcm", in: source)
        try Folders.write(try SampleFactory.ct(instance: 2), "good/ct2.dcm", in: source)
        let mr = try SampleFactory.mr()
        try Folders.write(Array(mr.prefix(mr.count - 300)), "bad/truncated.dcm", in: source)
        try Folders.write(Array("this is not DICOM, just notes\n".utf8), "notes.txt", in: source)
        try Folders.write(try SampleFactory.sr(), "secret.dcm", in: outside)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: source + "/loop1", withDestinationPath: source + "/loop2")
        try fm.createSymbolicLink(atPath: source + "/loop2", withDestinationPath: source + "/loop1")
        try fm.createSymbolicLink(atPath: source + "/escape.dcm", withDestinationPath: outside + "/secret.dcm")
        try fm.createSymbolicLink(atPath: source + "/dirlink", withDestinationPath: source + "/good")
        try fm.createSymbolicLink(atPath: source + "/inside.dcm", withDestinationPath: source + "/good/ct1.dcm")

        let (report, out) = try Folders.create(source)
        #expect(report.instances == 2)
        #expect(report.duplicates.count == 1)  // inside.dcm is a link to a file already there
        #expect(report.unusable.map(\.path) == ["bad/truncated.dcm"])
        #expect(report.unusable.first?.reason.contains("(7FE0,0010) PixelData: declared length") == true)
        #expect(report.nonDICOM.map(\.path) == ["notes.txt"])
        #expect(Set(report.skipped.map(\.path)) == ["loop1", "loop2", "escape.dcm", "dirlink"])
        #expect(report.skipped.first { $0.path == "escape.dcm" }?.reason.contains("outside the source folder") == true)
        #expect(report.skipped.first { $0.path == "loop1" }?.reason.contains("loop") == true)
        #expect(report.hasFindings)
        #expect(Folders.files(out).count == 3)
    }
}

extension CreateTests {
    /// One record per Study Instance UID (PS3.3 F.5-2): a study under two patients is refused.
    @Test func studyUnderTwoPatientsIsRefused() throws {
        let source = try Folders.temp()
        try Folders.write(try SampleFactory.ct(instance: 1), "a.dcm", in: source)
        var other = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 2)).dataSet
        other.set(.patientID, .LO, "SOMEONE_ELSE")
        try Folders.write(try Part10Writer.encode(other, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.11"), "b.dcm", in: source)
        #expect {
            _ = try Folders.create(source)
        } throws: { error in
            guard case .rejected(let all) = error as? FileSetError else { return false }
            let problems = all.filter { !$0.hasPrefix("ways forward:") }
            return problems.count == 1 && problems[0].hasPrefix("study ") && problems[0].contains("appears under \"DCMFS001\" (a.dcm) and under \"SOMEONE_ELSE\" (b.dcm)")
        }
    }
}
