import DICOM
import FileSet
@testable import Imaging
import Testing
import TestSupport

/// The rules of writing encapsulated Pixel Data that need no outside tool: offset tables
/// (PS3.5 A.4), the lossy history (PS3.3 C.7.6.1.1.5), which lossy syntax a profile gets.
@Suite(.tags(.unit)) struct EncodingRuleTests {
    @Test func basicOffsetTableUntilFourGigabytesThenExtended() {
        #expect(Transcoder.offsetTables([100]).basic.isEmpty && Transcoder.offsetTables([100]).extended == nil)
        let small = Transcoder.offsetTables([10, 20, 30])
        #expect(small.basic == [0, 0, 0, 0, 18, 0, 0, 0, 46, 0, 0, 0] && small.extended == nil)
        // With a limit of 40 bytes the third offset (46) no longer fits: the Basic Offset Table
        // is empty and the Extended one holds 64-bit offsets and the fragments' lengths.
        let big = Transcoder.offsetTables([10, 20, 30], limit: 40)
        #expect(big.basic.isEmpty)
        #expect(big.extended?.offsets == [0, 0, 0, 0, 0, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0, 46, 0, 0, 0, 0, 0, 0, 0])
        #expect(big.extended?.lengths == [10, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0, 0])
    }

    /// RLE Lossless, ours: runs, literals longer than 128 bytes, rows never crossed, even
    /// segments; our decoder gets the samples back (GDCM and pydicom do too:
    /// TranscodeTests.uncompressedImagesAreCompressedLosslessly).
    @Test func rleRoundTrips() throws {
        var rng = SystemRandomNumberGenerator()
        for (allocated, stored, high, signed, components) in [(8, 8, 7, false, 1), (8, 8, 7, false, 3), (16, 12, 11, true, 1), (16, 16, 15, false, 1), (16, 10, 13, false, 1)] {
            let width = 301, height = 7
            let lo = signed ? -(1 << (stored - 1)) : 0, hi = signed ? (1 << (stored - 1)) - 1 : (1 << stored) - 1
            var samples = [Int32](repeating: 0, count: width * height * components)
            for i in samples.indices {
                // Flat stretches (runs, some across a row end), noise (literals) and steps.
                samples[i] = i % 300 < 150 ? Int32(lo + (i / 97) % 3) : Int32(Int.random(in: lo...hi, using: &rng))
            }
            let code = try RLEEncoder.encode(samples, width: width, height: height, components: components, allocated: allocated, bits: stored, highBit: high)
            var ds = DataSet()
            ds.set(.rows, .US, numbers: [Double(height)]); ds.set(.columns, .US, numbers: [Double(width)])
            ds.set(.bitsAllocated, .US, numbers: [Double(allocated)]); ds.set(.bitsStored, .US, numbers: [Double(stored)])
            ds.set(.highBit, .US, numbers: [Double(high)]); ds.set(.pixelRepresentation, .US, numbers: [signed ? 1 : 0])
            ds.set(.samplesPerPixel, .US, numbers: [Double(components)]); ds.set(.photometricInterpretation, .CS, components == 3 ? "RGB" : "MONOCHROME2")
            let back = try RLEDecoder.decode(code, try PixelDescription(ds))
            #expect(back.samples == samples, "\(allocated)/\(stored)/\(high) signed \(signed) × \(components)")
            let segments = Int(code[0])
            #expect(segments == components * allocated / 8)
            for k in 0..<segments {
                let start = Int(code[4 + 4 * k]) | Int(code[5 + 4 * k]) << 8 | Int(code[6 + 4 * k]) << 16
                #expect(start % 2 == 0, "segment \(k + 1) starts at an odd offset")
            }
        }
    }

    @Test func lossyHistoryIsAppendedNeverReset() {
        var ds = DataSet()
        LossyHistory.record(&ds, method: "ISO_10918_1", ratio: 12.345)
        #expect(ds.string(.lossyImageCompression) == "01" && ds.strings(.lossyImageCompressionRatio) == ["12.35"]
                && ds.strings(.lossyImageCompressionMethod) == ["ISO_10918_1"])
        LossyHistory.record(&ds, method: "ISO_10918_1", ratio: 3)        // the same step again: nothing added
        #expect(ds.strings(.lossyImageCompressionMethod) == ["ISO_10918_1"])
        LossyHistory.record(&ds, method: "ISO_15444_1", ratio: 8)
        #expect(ds.strings(.lossyImageCompressionRatio) == ["12.35", "8"] && ds.strings(.lossyImageCompressionMethod) == ["ISO_10918_1", "ISO_15444_1"])
        var unpaired = DataSet()   // "01" with a method but no ratio: no ratio is invented for the old step
        unpaired.set(.lossyImageCompression, .CS, "01")
        unpaired.set(.lossyImageCompressionMethod, .CS, "ISO_14495_1")
        LossyHistory.record(&unpaired, method: "ISO_15444_1", ratio: 8)
        #expect(unpaired.strings(.lossyImageCompressionMethod) == ["ISO_14495_1", "ISO_15444_1"] && unpaired[.lossyImageCompressionRatio] == nil)
        #expect(LossyHistory.decimalString(6) == "6" && LossyHistory.decimalString(13.5) == "13.5" && LossyHistory.decimalString(2.05) == "2.05")
    }

    @Test func lossyCodingIsRecognisedFromTheCodestream() {
        // J2K main header: SOC, SIZ (length 41, contents not read), COD with transform 0 or 1.
        func j2k(transform: UInt8) -> [UInt8] {
            [0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29] + [UInt8](repeating: 0, count: 39)
                + [0xFF, 0x52, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x01, 0x00, 0x05, 0x04, 0x04, 0x00, transform, 0x00, 0x00]
        }
        #expect(LossyHistory.method(syntax: "1.2.840.10008.1.2.4.91", frame: j2k(transform: 0)) == "ISO_15444_1")
        #expect(LossyHistory.method(syntax: "1.2.840.10008.1.2.4.91", frame: j2k(transform: 1)) == nil)
        #expect(LossyHistory.method(syntax: "1.2.840.10008.1.2.4.50", frame: []) == "ISO_10918_1")
        #expect(LossyHistory.method(syntax: "1.2.840.10008.1.2.4.90", frame: j2k(transform: 0)) == nil)
        // JPEG-LS: SOI, SOS with one component and NEAR 2.
        let ls: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x02, 0x00, 0x00]
        #expect(LossyHistory.method(syntax: "1.2.840.10008.1.2.4.81", frame: ls) == "ISO_14495_1")
        #expect(LossyHistory.method(syntax: "1.2.840.10008.1.2.4.81", frame: Array(ls.prefix(9)) + [0x00, 0x00, 0x00]) == nil)
    }

    @Test func eachProfileGetsItsOwnLossySyntax() throws {
        func image(bits: Int, stored: Int, signed: Bool = false, photometric: String = "MONOCHROME2") throws -> PixelDescription {
            var ds = DataSet()
            ds.set(.rows, .US, numbers: [8]); ds.set(.columns, .US, numbers: [8])
            ds.set(.bitsAllocated, .US, numbers: [Double(bits)]); ds.set(.bitsStored, .US, numbers: [Double(stored)])
            ds.set(.pixelRepresentation, .US, numbers: [signed ? 1 : 0])
            ds.set(.samplesPerPixel, .US, numbers: [photometric == "RGB" ? 3 : 1]); ds.set(.photometricInterpretation, .CS, photometric)
            return try PixelDescription(ds)
        }
        let jpeg = try #require(ApplicationProfile.named("STD-GEN-DVD-JPEG")), j2k = try #require(ApplicationProfile.named("STD-GEN-DVD-J2K"))
        #expect(LossySyntax.target(for: jpeg, image: try image(bits: 8, stored: 8, photometric: "RGB")) == .jpegBaseline)
        #expect(LossySyntax.target(for: jpeg, image: try image(bits: 16, stored: 12)) == .jpegExtended)
        #expect(LossySyntax.target(for: jpeg, image: try image(bits: 16, stored: 16, signed: true)) == nil)
        #expect(LossySyntax.target(for: j2k, image: try image(bits: 16, stored: 16, signed: true)) == .jpeg2000)
        #expect(LossySyntax.target(for: j2k, image: try image(bits: 8, stored: 8, photometric: "PALETTE COLOR")) == nil)
        #expect(LossySyntax.target(for: .stdGenCD, image: try image(bits: 8, stored: 8)) == nil && !LossySyntax.allowed(by: .stdGenCD))
    }
}
