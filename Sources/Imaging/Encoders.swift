import DICOM
import CCodecs
import SystemZlib

extension Image8 {
    /// PNG (8-bit grey or RGB, filter 0 per row, zlib level 6).
    public func png() throws -> [UInt8] {
        var raw = [UInt8]()
        raw.reserveCapacity((width * channels + 1) * height)
        for y in 0..<height {
            raw.append(0)
            raw += pixels[(y * width * channels)..<((y + 1) * width * channels)]
        }
        var bound = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(bound))
        let rc = compress2(&compressed, &bound, raw, uLong(raw.count), 6)
        guard rc == Z_OK else { throw ImagingError("zlib could not compress the PNG data (\(rc))") }
        compressed.removeSubrange(Int(bound)...)
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) {
            let typed = Array(type.utf8) + body
            out += be32(body.count) + typed + be32(Int(crc32(0, typed, uInt(typed.count))))
        }
        chunk("IHDR", be32(width) + be32(height) + [8, channels == 3 ? 2 : 0, 0, 0, 0])
        chunk("IDAT", compressed)
        chunk("IEND", [])
        return out
    }

    /// Baseline JPEG through libjpeg-turbo.
    public func jpeg(quality: Int = 90) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var error = [CChar](repeating: 0, count: 256)
        let rc = pixels.withUnsafeBufferPointer { buf in
            dicomfs_jpeg_encode(buf.baseAddress, Int32(width), Int32(height), Int32(channels), Int32(quality), &out, &length, &error)
        }
        defer { dicomfs_free(out) }
        guard rc == 0, let out else { throw ImagingError(String(cBuffer: error)) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}
