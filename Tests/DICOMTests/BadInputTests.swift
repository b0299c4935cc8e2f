@testable import DICOM
import Foundation
import Testing
import TestSupport

/// Hostile and broken input: every case ends in an error that names the file, the byte
/// offset and the element where decoding stopped; never a crash, a hang or a huge allocation.
@Suite(.tags(.unit)) struct BadInputTests {
    /// Reads `bytes` from a temp file and returns the error it must raise.
    func failure(_ bytes: [UInt8], options: ReadOptions = ReadOptions()) throws -> (DICOMError, String) {
        let path = try Fixtures.write(bytes)
        do {
            _ = try DICOMFile.read(path: path, options: options)
        } catch let e as DICOMError {
            #expect(e.file == path)
            #expect(e.description.contains(path))
            return (e, path)
        }
        Issue.record("reading did not fail")
        throw CancellationError()
    }

    /// Offset of the data set in a file built by `Fixtures.part10`.
    func bodyStart() throws -> Int { try Fixtures.part10(body: []).count }

    @Test func truncatedInsidePixelData() throws {
        let ct = try Fixtures.ct()
        let pixelOffset = try #require(try DICOMFile.read(bytes: ct).dataSet[.pixelData]?.offset)
        let (e, _) = try failure(Array(ct[0..<(pixelOffset + 100)]))
        #expect(e.kind == .invalidLength)
        #expect(e.offset == pixelOffset)
        #expect(e.tag == .pixelData)
        #expect(e.message.contains("exceeds the 88 bytes left in the file"))
    }

    @Test func truncatedInsideAnElementHeader() throws {
        let ct = try Fixtures.ct()
        let file = try DICOMFile.read(bytes: ct)
        let rows = try #require(file.dataSet[.rows]?.offset)
        let (e, _) = try failure(Array(ct[0..<(rows + 6)]))
        #expect(e.kind == .truncated)
        #expect(e.offset == rows)
        #expect(e.tag == .rows)
    }

    @Test func lengthPastEndOfFile() throws {
        let body = Fixtures.element(.patientName, "PN", Fixtures.ascii("Doe^John"), length: 0x2000)
        let (e, _) = try failure(try Fixtures.part10(body: body))
        #expect(e.kind == .invalidLength)
        #expect(e.offset == (try bodyStart()))
        #expect(e.tag == .patientName)
        #expect(e.message.contains("declared length 8192 exceeds the 8 bytes left"))
    }

    @Test func hugeDeclaredLengthOnSmallFile() throws {
        // 0xFFFFFFF0 bytes declared in a file of about 1 KB: refused before any allocation.
        var body = Fixtures.element(.studyDescription, "LO", Fixtures.ascii("HEAD  "))
        let at = try bodyStart() + body.count
        body += Fixtures.element(.textValue, "UT", [UInt8](repeating: 0x41, count: 800), length: 0xFFFF_FFF0)
        let (e, _) = try failure(try Fixtures.part10(body: body))
        #expect(e.kind == .invalidLength)
        #expect(e.offset == at)
        #expect(e.tag == .textValue)
        #expect(e.message.contains("4294967280"))
    }

    @Test func oddLengthIsAnErrorWhenStrictAndAWarningOtherwise() throws {
        let body = Fixtures.element(.patientID, "LO", Fixtures.ascii("ABC"))
        let bytes = try Fixtures.part10(body: body)
        let (e, _) = try failure(bytes, options: ReadOptions(strict: true))
        #expect(e.kind == .invalidLength)
        #expect(e.offset == (try bodyStart()))
        #expect(e.tag == .patientID)
        let lenient = try DICOMFile.read(bytes: bytes)
        #expect(lenient.warnings.contains { $0.tag == .patientID && $0.message.contains("odd value length 3") })
        #expect(lenient.dataSet.string(.patientID) == "ABC")
    }

    @Test func undefinedLengthOnANonSequenceElement() throws {
        let body = Fixtures.element(.textValue, "UT", [], length: 0xFFFF_FFFF)
        let (e, _) = try failure(try Fixtures.part10(body: body))
        #expect(e.kind == .invalidLength)
        #expect(e.offset == (try bodyStart()))
        #expect(e.tag == .textValue)
        #expect(e.message.contains("undefined length"))
    }

    @Test func tenThousandNestedSequences() throws {
        // SQ(undefined) > Item(undefined) > SQ … 10,000 deep, then the delimiters.
        var w = ByteWriter()
        let depth = 10_000
        for _ in 0..<depth {
            w.tag(.referencedSeriesSequence); w.append(Fixtures.ascii("SQ")); w.u16(0); w.u32(0xFFFF_FFFF)
            w.tag(.item); w.u32(0xFFFF_FFFF)
        }
        for _ in 0..<depth {
            w.tag(.itemDelimitationItem); w.u32(0)
            w.tag(.sequenceDelimitationItem); w.u32(0)
        }
        let start = try bodyStart()
        let (e, _) = try failure(try Fixtures.part10(body: w.bytes))
        #expect(e.kind == .tooDeep)
        #expect(e.tag == .referencedSeriesSequence)
        // The 65th sequence header starts 64 levels of (12 + 8) bytes in; the error is at its value.
        #expect(e.offset == start + 64 * 20 + 12)
        #expect(e.message.contains("deeper than 64"))
    }

    @Test func wrongVRForATag() throws {
        // Referenced Image Sequence declared SQ but holding a string: not an item.
        let body = Fixtures.element(.referencedImageSequence, "SQ", Fixtures.ascii("NOT AN ITEM!"))
        let (e, _) = try failure(try Fixtures.part10(body: body))
        #expect(e.kind == .invalidEncoding)
        #expect(e.offset == (try bodyStart()) + 12)
        #expect(e.tag == .referencedImageSequence)
        #expect(e.message.contains("expected an item"))
        // A VR contradicting the dictionary: an error only in strict mode.
        let name = try Fixtures.part10(body: Fixtures.element(.patientName, "US", [1, 0]))
        let (strict, _) = try failure(name, options: ReadOptions(strict: true))
        #expect(strict.offset == (try bodyStart()))
        #expect(strict.tag == .patientName)
        #expect(strict.message.contains("VR US does not match the dictionary's PN"))
    }

    @Test func invalidVRBytes() throws {
        // The first element decides implicit vs explicit; a later one with junk VR bytes fails.
        let two = Fixtures.element(.patientName, "PN", Fixtures.ascii("Doe^John")) + [0x10, 0x00, 0x20, 0x00, 0x01, 0x02, 0x04, 0x00] + Fixtures.ascii("ID01")
        let (e2, _) = try failure(try Fixtures.part10(body: two))
        #expect(e2.kind == .invalidEncoding)
        #expect(e2.tag == .patientID)
        #expect(e2.offset == (try bodyStart()) + 16)
        #expect(e2.message.contains("found bytes 01 02"))
    }

    @Test func garbageAfterTheDataSet() throws {
        let ct = try Fixtures.ct()
        let garbage: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x11, 0x22]
        let (e, _) = try failure(ct + garbage)
        #expect(e.offset == ct.count)
        #expect(e.tag == Tag(0x3412, 0x7856))
        #expect(e.kind == .invalidEncoding)
        // Trailing zero padding (some writers pad to a block size) is tolerated with a warning.
        let padded = try DICOMFile.read(bytes: ct + [UInt8](repeating: 0, count: 512))
        #expect(padded.warnings.contains { $0.message.contains("512 trailing zero bytes") })
    }

    @Test func notDICOMAtAll() throws {
        let text = Fixtures.ascii(String(repeating: "This is a plain text file, not DICOM.\n", count: 10))
        let (e, _) = try failure(text)
        #expect(e.kind == .notDICOM)
        #expect(e.offset == 0)
        #expect(e.message.contains("not a DICOM file"))
    }

    @Test func emptyFile() throws {
        let (e, _) = try failure([])
        #expect(e.kind == .notDICOM)
        #expect(e.offset == 0)
        #expect(e.message.contains("empty file"))
    }

    @Test func aDirectory() throws {
        let dir = try Fixtures.tempDirectory()
        #expect {
            _ = try DICOMFile.read(path: dir.path)
        } throws: { error in
            guard let e = error as? DICOMError else { return false }
            return e.kind == .io && e.file == dir.path && e.message.contains("is a directory")
        }
    }

    @Test func truncatedDeflatedDataSet() throws {
        var ds = DataSet()
        ds.set(.patientName, .PN, "Doe^John")
        ds.set(.patientComments, .LT, String(repeating: "comment ", count: 200))
        let full = try Part10Writer.encode(ds, sopClassUID: "1.2.3", sopInstanceUID: "1.2.3.4", transferSyntax: .deflatedExplicitVRLittleEndian)
        #expect(try DICOMFile.read(bytes: full).dataSet.string(.patientName) == "Doe^John")
        let (e, _) = try failure(Array(full.dropLast(20)))
        #expect(e.kind == .truncated)
        #expect(e.message.contains("deflate"))
    }

    /// Random corruption of a real file never crashes: it reads or it fails with a DICOMError.
    @Test func randomCorruptionNeverCrashes() throws {
        let ct = try Fixtures.ct()
        var rng = SplitMix(seed: 42)
        for _ in 0..<2000 {
            var bytes = ct
            for _ in 0..<(1 + Int(rng.next() % 8)) {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 4 == 0 { bytes = Array(bytes[0..<Int(rng.next() % UInt64(bytes.count))]) }
            do { _ = try DICOMFile.read(bytes: bytes) } catch is DICOMError {} catch { Issue.record("unexpected error type \(error)") }
        }
    }
}

/// A small deterministic generator for reproducible corruption.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension BadInputTests {
    /// Found by the fuzzer: out of order, and the same element twice far apart.
    @Test func duplicateElementOutOfOrder() throws {
        let body = Fixtures.element(.patientID, "LO", Fixtures.ascii("A1")) + Fixtures.element(.patientName, "PN", Fixtures.ascii("X^"))
            + Fixtures.element(.patientID, "LO", Fixtures.ascii("B2"))
        let (e, _) = try failure(try Fixtures.part10(body: body))
        #expect(e.kind == .invalidEncoding)
        #expect(e.tag == .patientID)
        #expect(e.offset == (try bodyStart()) + 20)
        #expect(e.message.contains("appears twice"))
    }
}
