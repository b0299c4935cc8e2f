import DICOM
import Foundation
@testable import Imaging
import Samples
import Testing
import TestSupport

/// Every number the renderer takes from a file or an argument is checked before it is
/// converted or used as a size: a crafted value gives an `ImagingError` or a picture, never
/// a trap. The test renders the samples (grey 16-bit CT, MR, a multi-frame colour US) with
/// each pixel-module and VOI attribute set, one at a time and in the combinations that once
/// trapped, to hostile values, at icon and web sizes. A trap ends the test process, so this
/// test cannot pass when one is left.
@Suite(.tags(.unit)) struct HostileValueTests {
    static let numbers: [Double] = [0, 1, 2, 3, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 64, 255, 256, 65_535]
    static let decimals = ["NaN", "nan", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e-308", "0", "-0", "-1",
                           "99999999999999999999999", "", "abc", "1\\2", "4e9", "-4e9"]
    static let photometrics = ["MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_420",
                               "YBR_PARTIAL_422", "YBR_RCT", "YBR_ICT", "PALETTE COLOR", "HSV", ""]
    static let functions = ["LINEAR", "LINEAR_EXACT", "SIGMOID", "BOGUS", ""]

    func samples() throws -> [DICOMFile] {
        try [SampleFactory.ct(instance: 1), SampleFactory.mr(), SampleFactory.usMultiFrame()].map { try DICOMFile.read(bytes: $0) }
    }

    /// Renders at both sizes and as an icon; any error is fine, a trap is not.
    func exercise(_ file: DICOMFile, window: WindowChoice = .fromFile(index: 0)) {
        for side in [64, 1024] {
            var options = Renderer.Options()
            options.window = window
            options.maxLongSide = side
            if let image = try? Renderer.render(file, frame: Renderer.representativeFrame(file.dataSet), options: options) {
                _ = IconMaker.item(image.letterboxed(size: 64))
                #expect(image.pixels.count == image.width * image.height * image.channels)
            }
        }
    }

    @Test func pixelModuleNumbers() throws {
        let tags: [DICOM.Tag] = [.rows, .columns, .samplesPerPixel, .bitsAllocated, .bitsStored, .highBit, .pixelRepresentation, .planarConfiguration]
        for base in try samples() {
            for tag in tags {
                for v in Self.numbers {
                    var f = base
                    f.dataSet.set(tag, .US, numbers: [v])
                    exercise(f)
                }
            }
            for v in ["0", "-1", "2", "1000000", "2147483648", "nan", ""] {
                var f = base
                f.dataSet.set(.numberOfFrames, .IS, v)
                exercise(f)
                f.dataSet.set(DICOM.Tag(0x0028, 0x6010), .US, numbers: [65_535])
                exercise(f)
            }
        }
    }

    @Test func modalityAndVOIValues() throws {
        let tags: [DICOM.Tag] = [.rescaleSlope, .rescaleIntercept, .windowCenter, .windowWidth]
        for base in try samples() {
            for tag in tags {
                for v in Self.decimals {
                    var f = base
                    f.dataSet.set(tag, .DS, v)
                    exercise(f)
                    for function in Self.functions {
                        f.dataSet.set(DICOM.Tag(0x0028, 0x1056), .CS, function)
                        exercise(f)
                    }
                }
            }
            for c in [Double.nan, .infinity, -.infinity, 1e308, 0] {
                for w in [Double.nan, .infinity, 0, -1, 1e308, 400] { exercise(base, window: .explicit(center: c, width: w)) }
            }
        }
    }

    @Test func photometricCombinations() throws {
        for base in try samples() {
            for p in Self.photometrics {
                for function in Self.functions {
                    for representation in [0.0, 1, 2] {
                        for columns in [1.0, 2, 3] {
                            var f = base
                            f.dataSet.set(.photometricInterpretation, .CS, p)
                            f.dataSet.set(DICOM.Tag(0x0028, 0x1056), .CS, function)
                            f.dataSet.set(.pixelRepresentation, .US, numbers: [representation])
                            if columns < 3 { f.dataSet.set(.columns, .US, numbers: [columns]) }
                            exercise(f)
                        }
                    }
                }
            }
        }
    }

    @Test func lookupTableDescriptors() throws {
        let descriptors: [[UInt8]] = [[0, 0, 0, 0, 16, 0], [1, 0, 0xFF, 0xFF, 0, 0], [0xFF, 0xFF, 0, 0x80, 40, 0], [0, 1, 0, 0, 8, 0], [2, 0, 0, 0]]
        for base in try samples() {
            for d in descriptors {
                for data in [[UInt8](), [0, 1], [UInt8](repeating: 0xFF, count: 512)] {
                    var item = DataSet()
                    item.set(DataElement(DICOM.Tag(0x0028, 0x3002), .US, bytes: d))
                    item.set(DataElement(DICOM.Tag(0x0028, 0x3006), .OW, bytes: data))
                    for seq in [DICOM.Tag(0x0028, 0x3000), DICOM.Tag(0x0028, 0x3010)] {
                        var f = base
                        f.dataSet.set(seq, sequence: [item])
                        _ = f.dataSet.remove(.windowCenter)
                        exercise(f)
                    }
                    var f = base
                    f.dataSet.set(.photometricInterpretation, .CS, "PALETTE COLOR")
                    f.dataSet.set(.samplesPerPixel, .US, numbers: [1])
                    for t in [0x1101, 0x1102, 0x1103] { f.dataSet.set(DataElement(DICOM.Tag(0x0028, UInt16(t)), .US, bytes: d)) }
                    for t in [0x1201, 0x1202, 0x1203, 0x1221] { f.dataSet.set(DataElement(DICOM.Tag(0x0028, UInt16(t)), .OW, bytes: data)) }
                    exercise(f)
                }
            }
        }
    }
}

/// Fuzz finding (part10 target): a JPEG 2000 frame whose SIZ marker declared a picture of
/// 45 GB under a 64 × 64 header made OpenJPEG allocate it. Frame headers are now read by us
/// and compared with the pixel module first; the same for JPEG and JPEG-LS SOF markers.
@Suite(.tags(.unit)) struct CodestreamHeaderTests {
    func description(_ rows: Int, _ columns: Int, samples: Int = 1) throws -> PixelDescription {
        var ds = DataSet()
        ds.set(.rows, .US, numbers: [Double(rows)])
        ds.set(.columns, .US, numbers: [Double(columns)])
        ds.set(.samplesPerPixel, .US, numbers: [Double(samples)])
        ds.set(.bitsAllocated, .US, numbers: [16])
        ds.set(.bitsStored, .US, numbers: [16])
        ds.set(.highBit, .US, numbers: [15])
        return try PixelDescription(ds)
    }

    func siz(width: Int, height: Int, tile: Int, components: Int = 1) -> [UInt8] {
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        var b: [UInt8] = [0xFF, 0x4F, 0xFF, 0x51, 0, UInt8(38 + 3 * components), 0, 0]
        b += be32(width) + be32(height) + be32(0) + be32(0) + be32(tile) + be32(tile) + be32(0) + be32(0)
        b += [0, UInt8(components)] + Array(repeating: [15, 1, 1], count: components).flatMap { $0 }
        return b + [0xFF, 0xD9]
    }

    @Test func j2kSizeIsCheckedBeforeDecoding() throws {
        let d = try description(64, 64)
        #expect(throws: ImagingError.self) { try CodestreamHeader.check(siz(width: 60_000, height: 60_000, tile: 60_000), codec: .jpeg2000, d) }
        // 65,536 × 65,536 one-pixel tiles: the tile grid alone is refused.
        #expect(throws: ImagingError.self) { try CodestreamHeader.check(siz(width: 65_535, height: 65_535, tile: 1), codec: .jpeg2000, try description(65_535, 65_535)) }
        #expect(throws: ImagingError.self) { try CodestreamHeader.check(siz(width: 64, height: 64, tile: 64, components: 3), codec: .jpeg2000, d) }
        #expect(throws: ImagingError.self) { try CodestreamHeader.check(Array(repeating: 0, count: 100), codec: .jpeg2000, d) }
        try CodestreamHeader.check(siz(width: 64, height: 64, tile: 64), codec: .jpeg2000, d)
        // A decode attempt of the oversized frame fails fast, with both sizes in the message.
        do {
            _ = try LibraryDecoders.decode(siz(width: 60_000, height: 60_000, tile: 1024), codec: .jpeg2000, d)
            Issue.record("decoded")
        } catch let e as ImagingError {
            #expect(e.description.contains("60000 × 60000"), "\(e)")
        }
    }

    @Test func jpegSOFIsCheckedBeforeDecoding() throws {
        let d = try description(64, 64)
        let sof: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 16, 0xEA, 0x60, 0xEA, 0x60, 1, 1, 0x11, 0, 0xFF, 0xD9]
        #expect(throws: ImagingError.self) { try CodestreamHeader.check(sof, codec: .jpeg, d) }
        var ls = sof
        ls[3] = 0xF7
        #expect(throws: ImagingError.self) { try CodestreamHeader.check(ls, codec: .jpegLS, d) }
        var fits = sof
        fits[7] = 0; fits[8] = 64; fits[9] = 0; fits[10] = 64
        try CodestreamHeader.check(fits, codec: .jpeg, d)
    }
}

/// Fuzz finding (part10 target, second campaign): a 45 × 10 JPEG-LS near-lossless frame of
/// 56 bytes on which CharLS 2.4.1 (Debian 12) spends about 30 s. Library decoders now run on
/// their own thread and are given up on past a time bound, so the caller gets an error.
@Suite(.tags(.unit)) struct DecoderTimeBoundTests {
    static let crafted = "AP//////////AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABESUNNAgAAAFVMBADQAAAAAgABAE9CAAACAAAAAAECAAIAVUkaADEuMi44NDAuMTAwMDguNS4xLjQuMS4xLjcAAgADAFVJQAAxLjIuODI2LjAuMS4zNjgwMDQzLjguNDk4Ljg2MTY0MDA4MTE1NzcxMTg1MjM4NDE3NDM0MjA4Mjk1Mjg2Njg1AgAQAFVJFgAxLjIuODQwLjEwMDA4LjEuMi40LjgxAgASAFVJHAAxLjIuODI2LjAuMS4zNjgwMDQzLjguNDk4LjEAAgATAFNIDgBQWURJQ09NIDMuMC4wIAgAFgBVSRoAMS4yLjg0MC4xMDAwOC41LjEuNC4xLjEuNwAIABgAVUlAADEuMi44MjYuMC4xLjM2ODAwNDMuOC40OTguODYxNjQwMDgxMTU3NzExODUyMzg0MTAwMDAwMDE2NjY0MzY5NjIoAAIAVVMCAAEAKAAEAENTDABNT05PQ0hST01FMiAoABAAVVMCAC0AKAARAFVTAgAKACgAAAFVUwIACAAoAAEBVVMCAAgAKCACAVVTAgAHACgAAwFVUwIAAADgfxAAT0IAAP/////+/wDgBAAAAAAAAAD+/wDgOAAAAP/Y//cACwgALQAKAQERAP/aAAgBAQACAABX/QB//wAAcf9/4Lf/fBz/fwUv++CX/3/BF/3/QP7Z/v/d4AAAAAA="

    @Test func aLoopingDecoderIsGivenUpOn() throws {
        let bytes = try #require(Data(base64Encoded: Self.crafted))
        let file = try DICOMFile.read(bytes: [UInt8](bytes))
        let start = Date()
        #expect(throws: ImagingError.self) { _ = try Renderer.render(file) }
        #expect(Date().timeIntervalSince(start) < 8, "the decoder was not bounded")
    }
}

/// Fuzz finding (part10, final campaign): a 5 KB JPEG Lossless frame declaring 65438 × 156 ×
/// 3 under a 100 × 100 header; our own lossless decoder decoded all 30 million samples
/// before comparing sizes (15 s under ASan). The SOF is now checked first.
@Suite(.tags(.unit)) struct LosslessFrameSizeTests {
    @Test func oversizedLosslessFrameIsRefusedBeforeDecoding() throws {
        var ds = DataSet()
        ds.set(.rows, .US, numbers: [100]); ds.set(.columns, .US, numbers: [100])
        ds.set(.samplesPerPixel, .US, numbers: [3]); ds.set(.bitsAllocated, .US, numbers: [8])
        ds.set(.bitsStored, .US, numbers: [8]); ds.set(.highBit, .US, numbers: [7])
        let d = try PixelDescription(ds)
        // SOI, SOF3: 8 bits, 156 rows, 65438 columns, 3 components.
        let frame: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x11, 0x08, 0x00, 0x9C, 0xFF, 0x9E, 0x03,
                              0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00, 0xFF, 0xD9]
        #expect(throws: ImagingError.self) { try CodestreamHeader.check(frame, codec: .jpeg, d) }
    }
}
