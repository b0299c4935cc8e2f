import DICOM

/// Native (uncompressed) Pixel Data, PS3.5 §8: 1, 8, 16 or 32 bits allocated, stored bits
/// at High Bit, two's complement when signed, planes or interleaved samples, YBR_FULL_422's
/// shared chroma. Frames are read from their byte offset; a short buffer is an error, never
/// a crash.
enum NativeDecoder {
    /// `wordSwapped`: the file was big endian and the reader, which normalizes OW to little
    /// endian 16-bit words, left each 32-bit sample with its halves in the wrong order.
    static func decode(_ bytes: [UInt8], frame: Int, _ d: PixelDescription, wordSwapped: Bool = false) throws -> DecodedFrame {
        let pixels = d.pixelsPerFrame
        if d.photometric == "YBR_FULL_422" && d.bitsAllocated == 8 {
            return try decode422(bytes, frame: frame, d)
        }
        let samplesPerFrame = pixels * d.samplesPerPixel
        let bitsPerFrame = samplesPerFrame * d.bitsAllocated
        let startBit = frame * bitsPerFrame
        guard (startBit + bitsPerFrame + 7) / 8 <= bytes.count else {
            throw ImagingError("Pixel Data holds \(bytes.count) bytes; frame \(frame + 1) needs bytes up to \((startBit + bitsPerFrame + 7) / 8)")
        }
        var raw = [Int32](repeating: 0, count: samplesPerFrame)
        let shift = d.highBit + 1 - d.bitsStored
        let mask: UInt32 = d.bitsStored == 32 ? 0xFFFF_FFFF : (1 << UInt32(d.bitsStored)) - 1
        let signBit: UInt32 = 1 << UInt32(d.bitsStored - 1)
        bytes.withUnsafeBytes { buf in
            let start = startBit / 8
            for i in 0..<samplesPerFrame {
                var v: UInt32
                switch d.bitsAllocated {
                case 1:
                    let bit = startBit + i
                    v = UInt32((buf[bit >> 3] >> UInt8(bit & 7)) & 1)
                case 8: v = UInt32(buf[start + i])
                case 16: v = UInt32(buf.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self))
                default:
                    v = buf.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)
                    if wordSwapped { v = v << 16 | v >> 16 }
                }
                v = (v >> UInt32(shift)) & mask
                if d.isSigned && v & signBit != 0 { v |= ~mask }
                raw[i] = Int32(bitPattern: v)
            }
        }
        if d.samplesPerPixel == 3 && d.planarConfiguration == 1 {
            var mixed = [Int32](repeating: 0, count: samplesPerFrame)
            for i in 0..<pixels { for c in 0..<3 { mixed[i * 3 + c] = raw[c * pixels + i] } }
            raw = mixed
        }
        return DecodedFrame(width: d.columns, height: d.rows, samplesPerPixel: d.samplesPerPixel, photometric: d.photometric, samples: raw)
    }

    /// YBR_FULL_422 native: per pair of pixels Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2).
    private static func decode422(_ bytes: [UInt8], frame: Int, _ d: PixelDescription) throws -> DecodedFrame {
        let perRow = (d.columns + 1) / 2 * 4
        let size = perRow * d.rows
        let start = frame * size
        guard start + size <= bytes.count else {
            throw ImagingError("Pixel Data holds \(bytes.count) bytes; YBR_FULL_422 frame \(frame + 1) needs \(start + size)")
        }
        var out = [Int32](repeating: 0, count: d.pixelsPerFrame * 3)
        for y in 0..<d.rows {
            for x in 0..<d.columns {
                let group = start + y * perRow + (x / 2) * 4
                let i = (y * d.columns + x) * 3
                out[i] = Int32(bytes[group + (x & 1)])
                out[i + 1] = Int32(bytes[group + 2])
                out[i + 2] = Int32(bytes[group + 3])
            }
        }
        return DecodedFrame(width: d.columns, height: d.rows, samplesPerPixel: 3, photometric: "YBR_FULL", samples: out)
    }
}
