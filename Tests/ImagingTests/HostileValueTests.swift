import DICOM
import Foundation
@testable import Imaging
import Samples
import Testing

/// Every number the renderer takes from a file or an argument is checked before it is
/// converted or used as a size: a crafted value gives an `ImagingError` or a picture, never
/// a trap. The test renders the samples (grey 16-bit CT, MR, a multi-frame colour US) with
/// each pixel-module and VOI attribute set, one at a time and in the combinations that once
/// trapped, to hostile values, at icon and web sizes. A trap ends the test process, so this
/// test cannot pass when one is left.
@Suite struct HostileValueTests {
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
