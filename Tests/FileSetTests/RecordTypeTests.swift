@testable import FileSet
import DICOM
import Testing

/// Record types are compared, hashed and used as table indices by their case, not by their
/// raw strings (a scan asks several times per file); these are the facts that relies on.
@Suite("Record types by case", .tags(.unit)) struct RecordTypeTests {
    @Test func caseIndexIsThePositionAmongTheCases() {
        for (i, type) in RecordType.allCases.enumerated() {
            #expect(Int(type.caseIndex) == i, "\(type.rawValue)")
        }
    }

    @Test func equalityAndHashingAgreeWithTheRawValue() {
        let all = RecordType.allCases
        for a in all {
            for b in all { #expect((a == b) == (a.rawValue == b.rawValue)) }
            #expect(RecordType(rawValue: a.rawValue) == a)
        }
        #expect(Set(all).count == all.count)
        let byName = Dictionary(uniqueKeysWithValues: all.map { ($0, $0.rawValue) })
        #expect(all.allSatisfy { byName[$0] == $0.rawValue })
    }

    @Test func keysAreTheTableOfEachType() {
        #expect(RecordKeys.keys(for: .image).map(\.tag) == [.instanceNumber])
        #expect(RecordKeys.keys(for: .patient).map(\.tag) == [.patientName, .patientID])
        #expect(RecordKeys.keys(for: .series).map(\.tag) == [.modality, .seriesInstanceUID, .seriesNumber])
        #expect(RecordKeys.keys(for: .rtDose).map(\.tag) == [.instanceNumber, .doseSummationType])
    }
}
