@testable import FileSet
import Testing
import TestSupport

@Suite(.tags(.unit)) struct FileIDTests {
    @Test func validFileIDs() {
        #expect(FileID(path: "DICOM/P0000001/I0000001")?.dicomValue == "DICOM\\P0000001\\I0000001")
        #expect(FileID(path: "A") != nil)
        #expect(FileID(path: "1/2/3/4/5/6/7/8") != nil)
        #expect(FileID(path: "ABCDEFGH/_0_") != nil)
    }

    @Test(arguments: [
        ("1/2/3/4/5/6/7/8/9", FileID.Violation.tooManyComponents(9)),
        ("DICOM/ABCDEFGHI", .componentTooLong("ABCDEFGHI")),
        ("dicom/IM1", .lowercase("dicom")),
        ("DICOM/IM1.DCM", .fileExtension("IM1.DCM")),
        ("DICOM/IM-1", .illegalCharacter("IM-1", "-")),
        ("DICOM/IM 1", .illegalCharacter("IM 1", " ")),
        ("DICOM//IM1", .emptyComponent),
        ("DICOM/ÄRGER", .illegalCharacter("ÄRGER", "Ä")),
    ])
    func eachRuleIsNamed(_ path: String, _ expected: FileID.Violation) {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        #expect(FileID.violations(of: components).contains(expected))
        #expect(FileID(path: path) == nil)
    }

    @Test func fileSetIDs() {
        #expect(FileID.isValidFileSetID(""))
        #expect(FileID.isValidFileSetID("CARDIO_2024"))
        #expect(!FileID.isValidFileSetID("TOO_LONG_FILESET_ID"))
        #expect(!FileID.isValidFileSetID("lower"))
    }

    @Test func layoutNames() {
        #expect(Layout.name("P", 1) == "P0000001")
        #expect(Layout.name("I", 9_999_999) == "I9999999")
    }

    @Test func recordRules() {
        #expect(RecordType.leaf(forSOPClass: "1.2.840.10008.5.1.4.1.1.2") == .image)
        #expect(RecordType.leaf(forSOPClass: "1.2.840.10008.5.1.4.1.1.88.11") == .srDocument)
        #expect(RecordType.leaf(forSOPClass: "1.2.840.10008.5.1.4.1.1.88.59") == .keyObjectDoc)
        #expect(RecordType.leaf(forSOPClass: "1.2.840.10008.5.1.4.1.1.11.1") == .presentation)
        #expect(RecordType.leaf(forSOPClass: "1.2.840.10008.5.1.4.1.1.104.1") == .encapDoc)
        #expect(RecordType.leaf(forSOPClass: "1.2.840.10008.5.1.4.1.1.481.5") == .rtPlan)
        #expect(RecordType.leaf(forSOPClass: "1.2.840.10008.5.1.4.38.1") == .hangingProtocol)
        #expect(RecordType.hangingProtocol.isRootLevel)
        #expect(RecordType.allowedChildren(of: .series).contains(.srDocument))
        #expect(!RecordType.allowedChildren(of: .patient).contains(.image))
        // Every class in the table is a real storage class of the UID registry.
        for (uid, _) in SOPClassRecordTypes.table {
            #expect(DICOM.UIDRegistry.entry(for: uid)?.type == "SOP Class", "\(uid)")
        }
    }

    @Test func profiles() {
        let cd = ApplicationProfile.stdGenCD
        #expect(cd.allows(transferSyntax: "1.2.840.10008.1.2.1"))
        #expect(!cd.allows(transferSyntax: "1.2.840.10008.1.2"))
        #expect(ApplicationProfile.named("STD-GEN-DVD-JPEG")?.allows(transferSyntax: "1.2.840.10008.1.2.4.50") == true)
        #expect(ApplicationProfile.named("std-gen-usb-j2k")?.allows(transferSyntax: "1.2.840.10008.1.2.4.90") == true)
        #expect(ApplicationProfile.named("STD-GEN-MIME")?.allows(transferSyntax: "1.2.840.10008.1.2") == true)
        #expect(ApplicationProfile.named("STD-GEN-BD-J2K")?.extraKeys(for: .patient) == [.patientBirthDate, .patientSex])
    }
}

import DICOM
