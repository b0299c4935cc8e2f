/// The frame size a JPEG, JPEG-LS or JPEG 2000 codestream declares, read by us before the
/// library sees it: libjpeg, CharLS and OpenJPEG allocate from these numbers, so a crafted
/// frame that claims 60,000 × 60,000 pixels under a 64 × 64 header is refused here instead
/// of becoming a 45 GB allocation (never allocate a declared length before checking it).
enum CodestreamHeader {
    struct Size: Equatable { var width: Int; var height: Int; var components: Int }

    /// Checks the declared size against the Image Pixel module; throws with both when they differ.
    static func check(_ frame: [UInt8], codec: LibraryDecoders.Codec, _ d: PixelDescription) throws {
        guard let size = codec == .jpeg2000 ? j2k(frame) : jpeg(frame) else {
            throw ImagingError("the \(codec) frame has no readable frame header (SOF or SIZ marker)")
        }
        guard size.width == d.columns, size.height == d.rows, size.components == d.samplesPerPixel else {
            throw ImagingError("the codestream declares \(size.width) × \(size.height) × \(size.components) but the header says \(d.columns) × \(d.rows) × \(d.samplesPerPixel); not decoded")
        }
    }

    /// The first SOF marker (baseline, extended, lossless, progressive, JPEG-LS SOF55) of a
    /// JPEG or JPEG-LS stream, walking marker segments from SOI.
    static func jpeg(_ b: [UInt8]) -> Size? {
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }   // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2 else { return nil }
            let isSOF = ((0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) || marker == 0xF7
            if isSOF {
                guard i + 10 <= b.count else { return nil }
                return Size(width: Int(b[i + 7]) << 8 | Int(b[i + 8]), height: Int(b[i + 5]) << 8 | Int(b[i + 6]), components: Int(b[i + 9]))
            }
            if marker == 0xDA || marker == 0xD9 { return nil }   // scan or end before any frame header
            i += 2 + length
        }
        return nil
    }

    /// The SIZ marker of a JPEG 2000 codestream (raw, or inside a JP2 file's jp2c box), with
    /// the tile grid bounded too (OpenJPEG allocates per tile).
    static func j2k(_ b: [UInt8]) -> Size? {
        var start = -1
        for i in 0..<max(0, min(b.count, 1 << 16) - 3) where b[i] == 0xFF && b[i + 1] == 0x4F && b[i + 2] == 0xFF && b[i + 3] == 0x51 {
            start = i + 2
            break
        }
        guard start >= 0, start + 40 <= b.count else { return nil }
        func u32(_ k: Int) -> Int { Int(b[k]) << 24 | Int(b[k + 1]) << 16 | Int(b[k + 2]) << 8 | Int(b[k + 3]) }
        let s = start + 4   // after the marker and Lsiz; Rsiz first
        let x = u32(s + 2), y = u32(s + 6), x0 = u32(s + 10), y0 = u32(s + 14)
        let tx = u32(s + 18), ty = u32(s + 22), tx0 = u32(s + 26), ty0 = u32(s + 30)
        let components = Int(b[s + 34]) << 8 | Int(b[s + 35])
        guard x > x0, y > y0, tx > 0, ty > 0, tx0 <= x0, ty0 <= y0 else { return nil }
        let tiles = ((x - tx0 + tx - 1) / tx) * ((y - ty0 + ty - 1) / ty)
        guard tiles <= 1 << 16 else { return nil }
        // Every component at full resolution (subsampled components are not DICOM's).
        for c in 0..<components {
            let at = s + 36 + 3 * c
            guard at + 2 < b.count, b[at + 1] == 1, b[at + 2] == 1 else { return nil }
        }
        return Size(width: x - x0, height: y - y0, components: components)
    }
}
