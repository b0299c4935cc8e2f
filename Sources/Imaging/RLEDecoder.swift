/// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
/// segment per byte plane (most significant byte of each sample first, sample by sample).
enum RLEDecoder {
    static func decode(_ frame: [UInt8], _ d: PixelDescription) throws -> DecodedFrame {
        guard frame.count >= 64 else { throw ImagingError("RLE frame of \(frame.count) bytes has no 64-byte header") }
        func u32(_ at: Int) -> Int { Int(frame[at]) | Int(frame[at + 1]) << 8 | Int(frame[at + 2]) << 16 | Int(frame[at + 3]) << 24 }
        let bytesPerSample = d.bitsAllocated / 8
        let expected = d.samplesPerPixel * bytesPerSample
        let segments = u32(0)
        guard d.bitsAllocated >= 8, segments == expected, segments <= 15 else {
            throw ImagingError("RLE header lists \(segments) segments; \(expected) expected for \(d.samplesPerPixel) × \(d.bitsAllocated)-bit samples")
        }
        let pixels = d.pixelsPerFrame
        var planes: [[UInt8]] = []
        for s in 0..<segments {
            let start = u32(4 + 4 * s)
            let end = s + 1 < segments ? u32(8 + 4 * s) : frame.count
            guard start >= 64, start <= end, end <= frame.count else {
                throw ImagingError("RLE segment \(s + 1) at bytes \(start)–\(end) lies outside the \(frame.count)-byte frame")
            }
            planes.append(try unpack(frame[start..<end], count: pixels, segment: s + 1))
        }
        var out = [Int32](repeating: 0, count: pixels * d.samplesPerPixel)
        let shift = d.highBit + 1 - d.bitsStored
        let mask: UInt32 = d.bitsStored == 32 ? 0xFFFF_FFFF : (1 << UInt32(d.bitsStored)) - 1
        let signBit: UInt32 = 1 << UInt32(d.bitsStored - 1)
        for c in 0..<d.samplesPerPixel {
            for i in 0..<pixels {
                var v: UInt32 = 0
                for b in 0..<bytesPerSample { v = v << 8 | UInt32(planes[c * bytesPerSample + b][i]) }
                v = (v >> UInt32(shift)) & mask
                if d.isSigned && v & signBit != 0 { v |= ~mask }
                out[i * d.samplesPerPixel + c] = Int32(bitPattern: v)
            }
        }
        return DecodedFrame(width: d.columns, height: d.rows, samplesPerPixel: d.samplesPerPixel, photometric: d.photometric, samples: out)
    }

    /// PackBits: n >= 0 copies n+1 literal bytes; n in -127...-1 repeats the next byte 1-n times.
    static func unpack(_ data: ArraySlice<UInt8>, count: Int, segment: Int) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        var i = data.startIndex
        while out.count < count && i < data.endIndex {
            let n = Int(Int8(bitPattern: data[i]))
            i += 1
            if n >= 0 {
                let end = min(i + n + 1, data.endIndex)
                out.append(contentsOf: data[i..<end].prefix(count - out.count))
                i = end
            } else if n != -128 {
                guard i < data.endIndex else { break }
                out.append(contentsOf: repeatElement(data[i], count: min(1 - n, count - out.count)))
                i += 1
            }
        }
        guard out.count == count else { throw ImagingError("RLE segment \(segment) decodes to \(out.count) bytes; \(count) expected") }
        return out
    }
}
