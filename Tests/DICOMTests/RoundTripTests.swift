@testable import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// Writer and reader agree: what we write reads back identically, in every length style and
/// syntax we write, and every file pydicom's test set holds survives a re-encoding.
@Suite(.tags(.unit)) struct RoundTripTests {
    @Test(arguments: try SampleFactory.all().map(\.fileName))
    func samplesReencodeByteForByte(_ name: String) throws {
        let sample = try #require(try SampleFactory.all().first { $0.fileName == name })
        let file = try DICOMFile.read(bytes: sample.bytes)
        #expect(file.warnings.isEmpty)
        let again = try Part10Writer.encode(file.dataSet, meta: file.meta, transferSyntax: file.transferSyntax)
        #expect(again == sample.bytes)
    }

    @Test(arguments: [
        (DataSetEncoder.Length.defined, DataSetEncoder.Length.defined),
        (.undefined, .undefined), (.defined, .undefined), (.undefined, .defined),
    ])
    func sequenceLengthStyles(_ seq: DataSetEncoder.Length, _ item: DataSetEncoder.Length) throws {
        let original = try DICOMFile.read(bytes: try SampleFactory.sr())
        let encoder = DataSetEncoder(sequenceLength: seq, itemLength: item)
        let bytes = try Part10Writer.encode(original.dataSet, sopClassUID: "1.2.840.10008.5.1.4.1.1.88.11",
                                            sopInstanceUID: "1.2.3", encoder: encoder)
        let back = try DICOMFile.read(bytes: bytes)
        #expect(Self.same(back.dataSet, original.dataSet))
        let content = try #require(back.dataSet[.contentSequence])
        #expect(content.hadUndefinedLength == (seq == .undefined))
    }

    @Test(arguments: [TransferSyntax.implicitVRLittleEndian, .deflatedExplicitVRLittleEndian])
    func otherSyntaxes(_ ts: TransferSyntax) throws {
        let original = try DICOMFile.read(bytes: try SampleFactory.mr())
        let bytes = try Part10Writer.encode(original.dataSet, sopClassUID: "1.2.840.10008.5.1.4.1.1.4", sopInstanceUID: "1.2.3", transferSyntax: ts)
        let back = try DICOMFile.read(bytes: bytes)
        #expect(back.transferSyntax == ts)
        #expect(back.warnings.isEmpty)
        #expect(Self.same(back.dataSet, original.dataSet))
        #expect(back.dataSet.string(.patientName) == "Müller^Jürgen")
    }

    /// Every pydicom test file we read (big endian and deflated included) re-encodes as
    /// Explicit VR Little Endian — or its own encapsulated syntax — and reads back the same.
    @Test func pydicomFilesSurviveReencoding() throws {
        guard let refs = try PydicomInteropTests.references() else { return }
        var count = 0
        var problems: [String] = []
        for ref in refs where ref.ok {
            guard let file = try? DICOMFile.read(path: ref.path) else { continue }
            let ts: TransferSyntax = file.transferSyntax.isEncapsulated ? file.transferSyntax : .explicitVRLittleEndian
            let name = URL(fileURLWithPath: ref.path).lastPathComponent
            do {
                let bytes = try Part10Writer.encode(file.dataSet, sopClassUID: file.sopClassUID ?? "1.2.3",
                                                    sopInstanceUID: file.sopInstanceUID ?? "1.2.3.4", transferSyntax: ts)
                let back = try DICOMFile.read(bytes: bytes)
                if !Self.same(back.dataSet, file.dataSet) { problems.append("\(name): values differ after re-encoding") }
                count += 1
            } catch {
                // Values too long for a 16-bit length (written by non-conformant tools) cannot be
                // written as explicit VR; anything else is a bug.
                if !"\(error)".contains("too long for VR") { problems.append("\(name): \(error)") }
            }
        }
        print("re-encoded \(count) pydicom test files")
        #expect(count > 200)
        #expect(problems.isEmpty, Comment(rawValue: problems.joined(separator: "\n")))
    }

    /// Same elements and values, ignoring offsets and length style; odd values compare padded.
    static func same(_ a: DataSet, _ b: DataSet) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a.elements, b.elements) {
            guard x.tag == y.tag else { return false }
            switch (x.value, y.value) {
            case (.sequence(let i), .sequence(let j)):
                guard i.count == j.count, zip(i, j).allSatisfy({ same($0, $1) }) else { return false }
            case (.bytes(let p), .bytes(let q)):
                if p != q && !(p.count == q.count + 1 && Array(p.dropLast()) == q) { return false }
            case (.fragments(let p), .fragments(let q)):
                guard p.fragments.count == q.fragments.count else { return false }
            default:
                if x.value != y.value { return false }
            }
        }
        return true
    }
}
