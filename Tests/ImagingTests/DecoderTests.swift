import DICOM
import Foundation
@testable import Imaging
import Testing
import TestSupport

/// Synthetic images whose pixels are known, one per case the Image Pixel module allows.
@Suite(.tags(.unit)) struct DecoderTests {
    func dataSet(rows: Int = 2, cols: Int = 3, spp: Int = 1, bits: Int = 16, stored: Int? = nil, high: Int? = nil,
                 signed: Bool = false, photometric: String = "MONOCHROME2", planar: Int? = nil, frames: Int? = nil) -> DataSet {
        var ds = DataSet()
        ds.set(.rows, .US, numbers: [Double(rows)])
        ds.set(.columns, .US, numbers: [Double(cols)])
        ds.set(.samplesPerPixel, .US, numbers: [Double(spp)])
        ds.set(.bitsAllocated, .US, numbers: [Double(bits)])
        ds.set(.bitsStored, .US, numbers: [Double(stored ?? bits)])
        ds.set(.highBit, .US, numbers: [Double(high ?? (stored ?? bits) - 1)])
        ds.set(.pixelRepresentation, .US, numbers: [signed ? 1 : 0])
        ds.set(.photometricInterpretation, .CS, photometric)
        if let planar { ds.set(.planarConfiguration, .US, numbers: [Double(planar)]) }
        if let frames { ds.set(.numberOfFrames, .IS, String(frames)) }
        return ds
    }

    func decode(_ ds: DataSet, _ bytes: [UInt8], frame: Int = 0) throws -> DecodedFrame {
        try NativeDecoder.decode(bytes, frame: frame, try PixelDescription(ds))
    }

    @Test func signedTwelveBitsStoredInSixteenWithHighBit() throws {
        // Stored in bits 4…15 (High Bit 15): -1, 2047, -2048, 0, 1, -2.
        let values: [Int16] = [-1, 2047, -2048, 0, 1, -2]
        let bytes = values.flatMap { v -> [UInt8] in let u = UInt16(bitPattern: v << 4) | 0x000F; return [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let f = try decode(dataSet(stored: 12, high: 15, signed: true), bytes)
        #expect(f.samples == values.map(Int32.init))
    }

    @Test func oneBitFramesPackedAcrossBytes() throws {
        // Two 3 × 3 frames of 1-bit pixels: 18 bits, frame 2 starts inside byte 1.
        let bits: [UInt8] = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]
        var bytes = [UInt8](repeating: 0, count: 3)
        for (i, b) in bits.enumerated() where b == 1 { bytes[i / 8] |= 1 << UInt8(i % 8) }
        let ds = dataSet(rows: 3, cols: 3, bits: 1, frames: 2)
        #expect(try decode(ds, bytes, frame: 1).samples == bits[9...].map(Int32.init))
    }

    @Test func planarRGBIsInterleavedAndYBR422Expanded() throws {
        let planar: [UInt8] = [10, 20, 30, 11, 21, 31, 12, 22, 32]   // R plane, G plane, B plane of 3 pixels
        let f = try decode(dataSet(rows: 1, cols: 3, spp: 3, bits: 8, photometric: "RGB", planar: 1), planar)
        #expect(f.samples == [10, 11, 12, 20, 21, 22, 30, 31, 32])
        // YBR_FULL_422, odd width 3: Y1 Y2 Cb Cr, Y3 (pad) Cb Cr.
        let ybr: [UInt8] = [100, 110, 128, 128, 120, 0, 128, 128]
        let g = try decode(dataSet(rows: 1, cols: 3, spp: 3, bits: 8, photometric: "YBR_FULL_422"), ybr)
        #expect(g.samples == [100, 128, 128, 110, 128, 128, 120, 128, 128])
        let rgb = try DisplayPipeline(DataSet()).render(g)
        #expect(rgb.pixels == [100, 100, 100, 110, 110, 110, 120, 120, 120])
    }

    @Test func windowFunctionsAndMonochrome1() throws {
        #expect(DisplayPipeline.voi(40, center: 40, width: 400, function: "LINEAR") == 128)
        #expect(DisplayPipeline.voi(-161, center: 40, width: 400, function: "LINEAR") == 0)
        #expect(DisplayPipeline.voi(240, center: 40, width: 400, function: "LINEAR") == 255)
        #expect(DisplayPipeline.voi(40, center: 40, width: 400, function: "LINEAR_EXACT") == 128)
        #expect(DisplayPipeline.voi(40, center: 40, width: 400, function: "SIGMOID") == 128)
        var ds = dataSet(rows: 1, cols: 2, photometric: "MONOCHROME1")
        ds.set(.windowCenter, .DS, ["50", "100"])
        ds.set(.windowWidth, .DS, ["100", "200"])
        let f = DecodedFrame(width: 2, height: 1, samplesPerPixel: 1, photometric: "MONOCHROME1", samples: [0, 100])
        // First window: 0 → dark → inverted to light.
        #expect(try DisplayPipeline(ds).render(f).pixels == [255, 0])
        // Second window (center 100, width 200), as --window-index 2 picks it.
        #expect(try DisplayPipeline(ds, window: .fromFile(index: 1)).render(f).pixels == [255, 127])
    }

    @Test func rescaleAndModalityLUT() throws {
        var ds = dataSet(rows: 1, cols: 3)
        ds.set(.rescaleSlope, .DS, "2")
        ds.set(.rescaleIntercept, .DS, "-1024")
        #expect(DisplayPipeline(ds).modality([0, 512, 1024]) == [-1024, 0, 1024])
        var lut = DataSet()
        lut.set(DataElement(Tag(0x0028, 0x3002), .US, bytes: [3, 0, 0xFE, 0xFF, 16, 0]))   // 3 entries from -2
        lut.set(DataElement(Tag(0x0028, 0x3006), .US, bytes: [10, 0, 20, 0, 30, 0]))
        var signed = dataSet(rows: 1, cols: 3, signed: true)
        signed.set(Tag(0x0028, 0x3000), sequence: [lut])
        #expect(DisplayPipeline(signed).modality([-5, -1, 7]) == [10, 20, 30])
    }

    @Test func paletteColourIncludingSegmented() throws {
        var ds = dataSet(rows: 1, cols: 2, bits: 8, photometric: "PALETTE COLOR")
        let descriptor: [UInt8] = [2, 0, 0, 0, 16, 0]
        for (d, data) in [(0x1101, 0x1201), (0x1102, 0x1202)] {
            ds.set(DataElement(Tag(0x0028, UInt16(d)), .US, bytes: descriptor))
            ds.set(DataElement(Tag(0x0028, UInt16(data)), .OW, bytes: [0x00, 0x00, 0x00, 0xFF]))
        }
        // Blue as a segmented table: discrete [0], then linear up to 0xFF00 over 1 entry.
        ds.set(DataElement(Tag(0x0028, 0x1103), .US, bytes: descriptor))
        ds.set(DataElement(Tag(0x0028, 0x1223), .OW, bytes: [0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0x00, 0xFF]))
        let f = DecodedFrame(width: 2, height: 1, samplesPerPixel: 1, photometric: "PALETTE COLOR", samples: [0, 1])
        #expect(try DisplayPipeline(ds).render(f).pixels == [0, 0, 0, 255, 255, 255])
    }

    @Test func rleRoundTripAndHostileSegments() throws {
        // Two 8-bit pixels in one segment: a literal run "00 05 07".
        var frame = [UInt8](repeating: 0, count: 64)
        frame[0] = 1; frame[4] = 64
        frame += [1, 5, 7]
        let d = try PixelDescription(dataSet(rows: 1, cols: 2, bits: 8))
        #expect(try RLEDecoder.decode(frame, d).samples == [5, 7])
        var bad = frame
        bad[4] = 200   // offset past the end
        #expect(throws: ImagingError.self) { _ = try RLEDecoder.decode(bad, d) }
        #expect(throws: ImagingError.self) { _ = try RLEDecoder.decode(Array(frame.prefix(20)), d) }
    }

    @Test func shortOrHostileInputIsAnErrorNeverACrash() throws {
        #expect(throws: ImagingError.self) { _ = try decode(dataSet(), [1, 2, 3]) }
        #expect(throws: ImagingError.self) { _ = try PixelDescription(dataSet(bits: 12)) }
        #expect(throws: ImagingError.self) { _ = try PixelDescription(dataSet(stored: 17)) }
        #expect(throws: ImagingError.self) { _ = try JPEGLosslessDecoder.decode([0xFF, 0xD8, 0xFF, 0xC3, 0x00]) }
        #expect(throws: ImagingError.self) { _ = try JPEGLosslessDecoder.decode([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]) }
        for garbage in [[UInt8](), [0xFF, 0xD8], Array(repeating: 0xFF, count: 100)] {
            #expect(throws: ImagingError.self) { _ = try LibraryDecoders.decode(garbage, codec: .jpeg, PixelDescription(dataSet(bits: 8))) }
            #expect(throws: ImagingError.self) { _ = try LibraryDecoders.decode(garbage, codec: .jpeg2000, PixelDescription(dataSet(bits: 8))) }
            #expect(throws: ImagingError.self) { _ = try LibraryDecoders.decode(garbage, codec: .jpegLS, PixelDescription(dataSet(bits: 8))) }
        }
    }

    @Test func pngAndJPEGOutputsAreReadable() throws {
        let image = Image8(width: 3, height: 2, channels: 1, pixels: [0, 50, 100, 150, 200, 250])
        let png = try image.png()
        #expect(png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let jpeg = try image.jpeg()
        #expect(jpeg.prefix(2) == [0xFF, 0xD8])
        // Our JPEG decodes through libjpeg again to the same size.
        let back = try LibraryDecoders.decode(jpeg, codec: .jpeg, PixelDescription(dataSet(rows: 2, cols: 3, bits: 8)))
        #expect(back.width == 3 && back.height == 2)
        #expect(image.letterboxed(size: 64).width == 64)
        #expect(Image8(width: 100, height: 50, channels: 1, pixels: .init(repeating: 9, count: 5000)).fitted(longSide: 20).height == 10)
    }
}
