/// RLE Lossless (PS3.5 Annex G), DICOM's own format, so ours: each frame a 64-byte header of
/// segment offsets, then one PackBits segment per byte plane — for every sample, its most
/// significant byte first — each row packed on its own (G.3.1: a run never crosses a row).
enum RLEEncoder {
    /// `samples` as decoded (interleaved, sign-extended); the stored bit pattern (`bits`
    /// wide, at High Bit `highBit`) goes into `allocated` (8 or 16) bits.
    static func encode(_ samples: [Int32], width: Int, height: Int, components: Int, allocated: Int, bits: Int, highBit: Int) throws -> [UInt8] {
        guard allocated == 8 || allocated == 16, (1...allocated).contains(bits), highBit < allocated, highBit >= bits - 1 else {
            throw ImagingError("RLE Lossless is written for 8 or 16 bits allocated; \(bits) stored at high bit \(highBit) in \(allocated)")
        }
        let bytes = allocated / 8, pixels = width * height
        guard samples.count == pixels * components, components * bytes <= 15 else { throw ImagingError("RLE: \(components) × \(bytes) byte planes") }
        let mask = UInt32((1 << bits) - 1), shift = UInt32(highBit + 1 - bits)
        var segments: [[UInt8]] = []
        var plane = [UInt8](repeating: 0, count: pixels)
        for c in 0..<components {
            for b in 0..<bytes {
                let byteShift = UInt32(8 * (bytes - 1 - b))
                for i in 0..<pixels {
                    let v = (UInt32(bitPattern: samples[i * components + c]) & mask) << shift
                    plane[i] = UInt8(truncatingIfNeeded: v >> byteShift)
                }
                var segment: [UInt8] = []
                segment.reserveCapacity(pixels + pixels / 64 + 2)
                for y in 0..<height { pack(plane[(y * width)..<((y + 1) * width)], into: &segment) }
                if segment.count & 1 == 1 { segment.append(0x80) }   // even length: a no-op byte (-128)
                segments.append(segment)
            }
        }
        var out = [UInt8](repeating: 0, count: 64)
        func put(_ v: Int, at: Int) { for k in 0..<4 { out[at + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) } }
        put(segments.count, at: 0)
        var offset = 64
        for (k, s) in segments.enumerated() {
            put(offset, at: 4 + 4 * k)
            offset += s.count
        }
        for s in segments { out += s }
        return out
    }

    /// PackBits: runs of 3 or more equal bytes as a repeat (-(n-1), byte), the rest as
    /// literals of up to 128 bytes (n-1, bytes…).
    static func pack(_ row: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var i = row.startIndex
        var literal = i
        func flushLiterals(upTo end: Int) {
            var s = literal
            while s < end {
                let n = min(128, end - s)
                out.append(UInt8(n - 1))
                out.append(contentsOf: row[s..<(s + n)])
                s += n
            }
        }
        while i < row.endIndex {
            var run = 1
            while i + run < row.endIndex && run < 128 && row[i + run] == row[i] { run += 1 }
            if run >= 3 {
                flushLiterals(upTo: i)
                out.append(UInt8(bitPattern: Int8(1 - run)))
                out.append(row[i])
                i += run
                literal = i
            } else {
                i += run
            }
        }
        flushLiterals(upTo: row.endIndex)
    }
}
