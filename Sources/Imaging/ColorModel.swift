import DICOM

/// Colour images to RGB: RGB (scaled down from more than 8 bits), YBR_FULL (PS3.3
/// C.7.6.3.1.2), PALETTE COLOR with normal or segmented tables (C.7.9).
enum ColorModel {
    static func rgb(_ frame: DecodedFrame, _ ds: DataSet) throws -> Image8 {
        let bits = ds.int(.bitsStored) ?? 8
        let shift = UInt32(max(0, bits - 8))
        var out = [UInt8](repeating: 0, count: frame.samples.count)
        let ybr = frame.photometric.hasPrefix("YBR_FULL") || frame.photometric == "YBR_PARTIAL_420"
        for p in 0..<(frame.samples.count / 3) {
            // Unsigned samples of 32 bits do not fit Int32: shift their bit patterns.
            let a = Double(UInt32(bitPattern: frame.samples[3 * p]) >> shift)
            let b = Double(UInt32(bitPattern: frame.samples[3 * p + 1]) >> shift)
            let c = Double(UInt32(bitPattern: frame.samples[3 * p + 2]) >> shift)
            if ybr {
                out[3 * p] = byte(a + 1.402 * (c - 128))
                out[3 * p + 1] = byte(a - 0.344136 * (b - 128) - 0.714136 * (c - 128))
                out[3 * p + 2] = byte(a + 1.772 * (b - 128))
            } else {
                out[3 * p] = UInt8(clamping: Int(a)); out[3 * p + 1] = UInt8(clamping: Int(b)); out[3 * p + 2] = UInt8(clamping: Int(c))
            }
        }
        return Image8(width: frame.width, height: frame.height, channels: 3, pixels: out)
    }

    static func palette(_ frame: DecodedFrame, _ ds: DataSet) throws -> Image8 {
        var channels: [LookupTable] = []
        for (descriptor, data, segmented) in [(0x1101, 0x1201, 0x1221), (0x1102, 0x1202, 0x1222), (0x1103, 0x1203, 0x1223)] {
            guard let d = ds[Tag(0x0028, UInt16(descriptor))]?.bytes else { throw ImagingError("PALETTE COLOR without Palette Color Lookup Table Descriptor (0028,\(String(descriptor, radix: 16)))") }
            if let plain = ds[Tag(0x0028, UInt16(data))]?.bytes, let lut = LookupTable(descriptor: d, data: plain, signed: false) {
                channels.append(lut)
            } else if let seg = ds[Tag(0x0028, UInt16(segmented))]?.bytes, let lut = try segmentedTable(descriptor: d, data: seg) {
                channels.append(lut)
            } else {
                throw ImagingError("PALETTE COLOR without usable palette data (0028,\(String(data, radix: 16))) or (0028,\(String(segmented, radix: 16)))")
            }
        }
        var out = [UInt8](repeating: 0, count: frame.samples.count * 3)
        for (i, v) in frame.samples.enumerated() {
            for c in 0..<3 {
                let lut = channels[c]
                let e = lut[Int(v)]
                out[3 * i + c] = UInt8(clamping: lut.bits > 8 ? e >> 8 : e)
            }
        }
        return Image8(width: frame.width, height: frame.height, channels: 3, pixels: out)
    }

    /// Segmented palette data (PS3.3 C.7.9.2): discrete (0), linear (1) and indirect (2)
    /// segments; an indirect segment replays `count` segments from a word offset, as pydicom
    /// reads it.
    static func segmentedTable(descriptor d: [UInt8], data: [UInt8]) throws -> LookupTable? {
        var words = [Int](repeating: 0, count: data.count / 2)
        for i in words.indices { words[i] = Int(data[2 * i]) | (Int(data[2 * i + 1]) << 8) }
        var entries: [Int] = []
        /// Expands segments from word `start`, at most `limit` of them; returns where it stopped.
        func expand(from start: Int, limit: Int, depth: Int) throws {
            guard depth < 4 else { throw ImagingError("segmented palette: indirect segments nest too deep") }
            var i = start, done = 0
            while i + 1 < words.count && done < limit {
                let type = words[i], length = words[i + 1]
                switch type {
                case 0:
                    guard i + 2 + length <= words.count else { throw ImagingError("segmented palette: discrete segment past the data") }
                    entries += words[(i + 2)..<(i + 2 + length)]
                    i += 2 + length
                case 1:
                    guard let y0 = entries.last, i + 2 < words.count else { throw ImagingError("segmented palette: linear segment without a start value") }
                    let y1 = words[i + 2]
                    if length > 0 { for k in 1...length { entries.append(y0 + (y1 - y0) * k / length) } }
                    i += 3
                case 2:
                    guard i + 3 < words.count else { throw ImagingError("segmented palette: indirect segment past the data") }
                    let offset = words[i + 2] | (words[i + 3] << 16)
                    guard offset < words.count else { throw ImagingError("segmented palette: indirect offset \(offset) out of range") }
                    try expand(from: offset, limit: length, depth: depth + 1)
                    i += 4
                default:
                    throw ImagingError("segmented palette: unknown segment type \(type)")
                }
                done += 1
                guard entries.count <= 65_536 else { throw ImagingError("segmented palette expands past 65,536 entries") }
            }
        }
        try expand(from: 0, limit: Int.max, depth: 0)
        guard d.count >= 6 else { return nil }
        return LookupTable(first: Int(d[2]) | Int(d[3]) << 8, bits: max(1, min(16, Int(d[4]) | Int(d[5]) << 8)), entries: entries)
    }
}
