import CCodecs
import DICOM
import FileSet

/// The lossy syntaxes dicomfs writes, only when asked (`--allow-lossy QUALITY`, or Allow
/// Lossy Compression YES in a media request; PS3.4 Annex S): JPEG Baseline through
/// libjpeg-turbo, JPEG Extended (12-bit) through GDCM's 12-bit IJG build, JPEG 2000
/// irreversible through OpenJPEG.
public enum LossySyntax: String, Sendable, CaseIterable {
    case jpegBaseline = "1.2.840.10008.1.2.4.50"
    case jpegExtended = "1.2.840.10008.1.2.4.51"
    case jpeg2000 = "1.2.840.10008.1.2.4.91"

    public var name: String {
        switch self {
        case .jpegBaseline: return "JPEG Baseline"
        case .jpegExtended: return "JPEG Extended"
        case .jpeg2000: return "JPEG 2000"
        }
    }

    /// Lossy Image Compression Method (0028,2114), PS3.3 C.7.6.1.1.5.1.
    public var method: String { self == .jpeg2000 ? "ISO_15444_1" : "ISO_10918_1" }

    /// The lossy syntax `profile` allows for an image like `d`, if any: JPEG (Baseline for 8
    /// bits allocated, Extended for up to 12 stored) for unsigned grey or RGB samples, JPEG
    /// 2000 for anything up to 16 bits; the profile's own family first (the MIME profile,
    /// which allows both, takes JPEG for 8-bit images). Palette colour is never compressed
    /// lossily: its samples are indices.
    public static func target(for profile: ApplicationProfile, image d: PixelDescription) -> LossySyntax? {
        guard d.photometric != "PALETTE COLOR", d.bitsAllocated == 8 || d.bitsAllocated == 16, d.bitsStored <= 16 else { return nil }
        let jpeg: LossySyntax? = d.isSigned || d.bitsStored > 12 ? nil : d.bitsAllocated == 8 ? .jpegBaseline : .jpegExtended
        let j2kFirst = profile.transferSyntaxes?.contains(jpeg2000.rawValue) == true || (profile.transferSyntaxes == nil && d.bitsAllocated > 8)
        for candidate in j2kFirst ? [LossySyntax.jpeg2000, jpeg] : [jpeg, .jpeg2000] {
            if let candidate, profile.allows(transferSyntax: candidate.rawValue) { return candidate }
        }
        return nil
    }

    /// Whether `profile` allows any of these at all (`--allow-lossy` is refused otherwise).
    public static func allowed(by profile: ApplicationProfile) -> Bool {
        allCases.contains { profile.allows(transferSyntax: $0.rawValue) }
    }

    /// The JPEG 2000 compression ratio a quality stands for: 90 → 6:1, 75 → 13.5:1, 50 → 26:1
    /// (the JPEG codecs take the quality itself, as libjpeg's scaling of its tables).
    static func ratio(quality: Int) -> Double { 1 + Double(100 - quality) / 2 }

    /// One frame's codestream. `samples` as decoded (RGB interleaved for colour); `bits`:
    /// Bits Stored, `allocated`: Bits Allocated.
    func encode(_ f: DecodedFrame, bits: Int, allocated: Int, signed: Bool, quality: Int) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var error = [CChar](repeating: 0, count: 256)
        let rc: Int32
        // (8 bits allocated in JPEG Extended: the baseline process, which process 2 includes)
        if self == .jpegBaseline || (self == .jpegExtended && allocated == 8) {
            let bytes = f.samples.map { UInt8(clamping: $0) }
            rc = bytes.withUnsafeBufferPointer {
                dicomfs_jpeg_baseline_encode($0.baseAddress, Int32(f.width), Int32(f.height), Int32(f.samplesPerPixel), Int32(quality), &out, &length, &error)
            }
        } else {
            // (the Extended encoder takes 2 bytes a sample whatever the precision)
            let packed = LosslessSyntax.pack(f.samples, bits: self == .jpegExtended ? 12 : bits)
            rc = packed.withUnsafeBufferPointer { p in
                self == .jpegExtended
                    ? dicomfs_jpeg_extended_encode_12(p.baseAddress, Int32(f.width), Int32(f.height), Int32(f.samplesPerPixel), Int32(quality), &out, &length, &error)
                    : dicomfs_j2k_encode(p.baseAddress, Int32(f.width), Int32(f.height), Int32(f.samplesPerPixel), Int32(bits), signed ? 1 : 0,
                                         Self.ratio(quality: quality), &out, &length, &error)
            }
        }
        guard rc == 0, let out else { throw ImagingError("\(name): \(String(cBuffer: error))") }
        defer { dicomfs_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}

/// Lossy Image Compression (0028,2110) and its Ratio and Method (PS3.3 C.7.6.1.1.5): once an
/// image has been through a lossy codec, "01" stays, and each lossy step appends its ratio
/// and method, so that a doctor reading a decompressed copy still learns it was compressed.
public enum LossyHistory {
    /// The method of the lossy coding `syntax` holds `frame` in, or nil when it is lossless:
    /// JPEG's DCT processes always; JPEG 2000 (and HTJ2K) with the 9/7 irreversible wavelet
    /// (the COD marker says which); JPEG-LS with NEAR above 0.
    public static func method(syntax: String, frame: [UInt8]) -> String? {
        switch syntax {
        case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51": return "ISO_10918_1"
        case "1.2.840.10008.1.2.4.91": return j2kIrreversible(frame) ? "ISO_15444_1" : nil
        case "1.2.840.10008.1.2.4.203": return j2kIrreversible(frame) ? "ISO_15444_15" : nil
        case "1.2.840.10008.1.2.4.81": return jpegLSNear(frame) > 0 ? "ISO_14495_1" : nil
        default: return nil
        }
    }

    /// Sets "01" and appends `method` with `ratio`, unless "01" is there with that method
    /// already (the same compression, recorded by whoever made it).
    public static func record(_ ds: inout DataSet, method: String, ratio: Double) {
        let methods = ds.strings(.lossyImageCompressionMethod) ?? []
        let wasLossy = ds.string(.lossyImageCompression)?.trimmingCharacters(in: .whitespaces) == "01"
        ds.set(.lossyImageCompression, .CS, "01")
        if wasLossy && methods.contains(method) { return }
        var ratios = ds.strings(.lossyImageCompressionRatio) ?? []
        // Ratio and Method pair up by position: a ratio missing for an earlier method is
        // not invented, so the new pair is appended only when the two lists line up.
        guard ratios.count == methods.count else {
            ds.set(.lossyImageCompressionMethod, .CS, methods + [method])
            return
        }
        ratios.append(decimalString(ratio))
        ds.set(.lossyImageCompressionRatio, .DS, ratios)
        ds.set(.lossyImageCompressionMethod, .CS, methods + [method])
    }

    /// A DS value (at most 16 characters) with two decimals at most.
    static func decimalString(_ v: Double) -> String {
        let hundredths = Int((max(0, min(v, 1e9)) * 100).rounded())
        let whole = hundredths / 100, frac = hundredths % 100
        return frac == 0 ? "\(whole)" : frac % 10 == 0 ? "\(whole).\(frac / 10)" : "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// The transform byte of the first COD marker of a J2K codestream: 0 is the 9/7
    /// irreversible wavelet (ISO 15444-1 A.6.1, Table A.20).
    static func j2kIrreversible(_ b: [UInt8]) -> Bool {
        // SOC (FF4F) opens the code stream, within the first bytes (a JP2 box may come first).
        guard let start = (0..<max(0, min(b.count, 64) - 1)).first(where: { b[$0] == 0xFF && b[$0 + 1] == 0x4F }) else { return false }
        var i = start + 2
        while i + 4 <= b.count, b[i] == 0xFF {
            let marker = b[i + 1], length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if marker == 0x90 || marker == 0x93 || length < 2 { return false }   // SOT/SOD: past the main header
            if marker == 0x52 { return i + 13 < b.count && b[i + 13] == 0 }
            i += 2 + length
        }
        return false
    }

    /// NEAR of the first SOS of a JPEG-LS stream (ISO 14495-1 C.2.3), 0 when none is found.
    static func jpegLSNear(_ b: [UInt8]) -> Int {
        var i = 2
        while i + 4 <= b.count, b[i] == 0xFF {
            let marker = b[i + 1], length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if marker == 0xDA {
                let components = i + 4 < b.count ? Int(b[i + 4]) : 0
                let at = i + 5 + 2 * components
                return at < b.count ? Int(b[at]) : 0
            }
            if length < 2 { return 0 }
            i += 2 + length
        }
        return 0
    }
}
