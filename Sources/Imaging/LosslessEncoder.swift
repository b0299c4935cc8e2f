import CCodecs
import DICOM

/// The lossless encapsulated syntaxes dicomfs writes, each through a real codec library:
/// JPEG Lossless SV1 (GDCM's 16-bit IJG build), JPEG-LS lossless (CharLS), JPEG 2000
/// lossless (OpenJPEG); and RLE Lossless, DICOM's own format (PS3.5 Annex G), ours.
public enum LosslessSyntax: String, Sendable, CaseIterable {
    case jpegLossless = "1.2.840.10008.1.2.4.70"
    case jpegLS = "1.2.840.10008.1.2.4.80"
    case jpeg2000 = "1.2.840.10008.1.2.4.90"
    case rle = "1.2.840.10008.1.2.5"

    public var name: String {
        switch self {
        case .jpegLossless: return "JPEG Lossless SV1"
        case .jpegLS: return "JPEG-LS Lossless"
        case .jpeg2000: return "JPEG 2000 Lossless"
        case .rle: return "RLE Lossless"
        }
    }

    /// Encodes one frame: `samples` as decoded (sign-extended for signed data), interleaved.
    /// `bits`: Bits Stored.
    func encode(_ samples: [Int32], width: Int, height: Int, components: Int, bits: Int, signed: Bool,
                allocated: Int = 16, highBit: Int? = nil) throws -> [UInt8] {
        if self == .rle {
            return try RLEEncoder.encode(samples, width: width, height: height, components: components, allocated: allocated, bits: bits, highBit: highBit ?? bits - 1)
        }
        let packed = Self.pack(samples, bits: bits)
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var error = [CChar](repeating: 0, count: 256)
        let rc: Int32 = packed.withUnsafeBufferPointer { p in
            switch self {
            case .jpegLossless:
                // The IJG build whose sample size holds `bits`, at its own precision (each build
                // takes only that one): 10 stored bits are coded with P = 12, 15 with P = 16,
                // the values unchanged.
                let precision = bits <= 8 ? 8 : bits <= 12 ? 12 : 16
                let encode = precision == 8 ? dicomfs_jpeg_lossless_encode_8 : precision == 12 ? dicomfs_jpeg_lossless_encode_12 : dicomfs_jpeg_lossless_encode_16
                return encode(p.baseAddress, Int32(width), Int32(height), Int32(components), Int32(precision), &out, &length, &error)
            case .jpegLS:
                return dicomfs_jpegls_encode_lossless(p.baseAddress, Int32(width), Int32(height), Int32(components), Int32(max(2, bits)), &out, &length, &error)
            case .rle:
                return -1   // (encoded above)
            case .jpeg2000:
                return dicomfs_j2k_encode_lossless(p.baseAddress, Int32(width), Int32(height), Int32(components), Int32(bits), signed ? 1 : 0, &out, &length, &error)
            }
        }
        guard rc == 0, let out else {
            throw ImagingError(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { dicomfs_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }

    /// The stored bit pattern of each sample (`bits` wide, two's complement when signed), as
    /// the C encoders take it: 1 byte a sample up to 8 bits, else 2, little-endian.
    static func pack(_ samples: [Int32], bits: Int) -> [UInt8] {
        let wide = bits > 8
        let mask = UInt32(bits >= 32 ? 0xFFFF_FFFF : (1 << bits) - 1)
        var packed = [UInt8](repeating: 0, count: samples.count * (wide ? 2 : 1))
        packed.withUnsafeMutableBufferPointer { out in
            for (i, s) in samples.enumerated() {
                let v = UInt32(bitPattern: s) & mask
                if wide { out[2 * i] = UInt8(v & 0xFF); out[2 * i + 1] = UInt8((v >> 8) & 0xFF) } else { out[i] = UInt8(v & 0xFF) }
            }
        }
        return packed
    }
}
