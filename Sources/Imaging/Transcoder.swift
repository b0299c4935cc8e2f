import DICOM
import FileSet

/// Rewrites an instance in another transfer syntax, losslessly: in Explicit VR Little Endian
/// (the one syntax every PS3.11 general purpose profile allows: encapsulated Pixel Data
/// decoded — JPEG, JPEG Lossless, JPEG-LS, JPEG 2000, RLE — frame by frame into native
/// samples, an Implicit VR, Big Endian or deflated data set re-encoded), or with its pixels
/// compressed losslessly (`LosslessSyntax`). The SOP Instance UID stays: the pixel values are
/// those of the source as decoded (Lossy Image Compression, when set, stays set). The source
/// file is never touched.
public enum Transcoder {
    public static let target = TransferSyntax.explicitVRLittleEndian

    /// The syntax `--transcode` writes for a profile: Explicit VR Little Endian where it is
    /// the only one (STD-GEN-CD), JPEG 2000 Lossless for the J2K profiles, JPEG Lossless SV1
    /// for the JPEG ones; `requested` (`--transcode-to`) instead when the profile allows it.
    public static func targetSyntax(for profile: ApplicationProfile, requested: String? = nil) throws -> String {
        if let requested {
            guard requested == target.uid || LosslessSyntax(rawValue: requested) != nil else {
                throw ImagingError("--transcode-to \(requested): dicomfs writes Explicit VR Little Endian (\(target.uid)) or "
                                   + LosslessSyntax.allCases.map { "\($0.name) (\($0.rawValue))" }.joined(separator: ", "))
            }
            guard profile.allows(transferSyntax: requested) else {
                throw ImagingError("--transcode-to \(requested): profile \(profile.name) does not allow it")
            }
            return requested
        }
        for candidate in [LosslessSyntax.jpeg2000.rawValue, LosslessSyntax.jpegLossless.rawValue] where profile.transferSyntaxes?.contains(candidate) == true {
            return candidate
        }
        guard profile.allows(transferSyntax: target.uid) else {
            throw ImagingError("profile \(profile.name) allows none of the syntaxes dicomfs transcodes to")
        }
        return target.uid
    }

    /// The Part 10 bytes of `file` (read with its Pixel Data) in `syntax`. A compressed result
    /// is proven before it is returned: every frame is decoded again and compared, sample for
    /// sample, with the source's decoding; any difference throws, naming the frame.
    public static func rewrite(_ file: DICOMFile, to syntax: String) throws -> [UInt8] {
        guard let lossless = LosslessSyntax(rawValue: syntax) else {
            guard syntax == target.uid else { throw ImagingError("transfer syntax \(syntax) is not one dicomfs writes") }
            return try explicitLittleEndian(file)
        }
        guard file.dataSet[.pixelData] != nil else { throw ImagingError("no Pixel Data: only images are compressed") }
        let access = try PixelDataAccess(file)
        let d = access.description
        guard d.bitsAllocated == 8 || d.bitsAllocated == 16, (1...16).contains(d.bitsStored) else {
            throw ImagingError("Bits Allocated \(d.bitsAllocated), Bits Stored \(d.bitsStored): \(lossless.name) is written for 8 or 16 bits allocated, 16 stored at most")
        }
        guard d.samplesPerPixel == 1 || d.samplesPerPixel == 3 else { throw ImagingError("\(d.samplesPerPixel) samples per pixel") }
        var fragments: [[UInt8]] = []
        var decoded: [[Int32]] = []
        var photometric = d.photometric
        for i in 0..<d.frames {
            let f = try access.frame(i)
            guard f.width == d.columns, f.height == d.rows, f.samplesPerPixel == d.samplesPerPixel, f.samples.count == d.rows * d.columns * d.samplesPerPixel else {
                throw ImagingError("frame \(i + 1) decodes to \(f.width) × \(f.height) × \(f.samplesPerPixel), the header says \(d.columns) × \(d.rows) × \(d.samplesPerPixel)")
            }
            if f.samplesPerPixel == 3 && f.photometric != "RGB" {
                throw ImagingError("Photometric Interpretation \(f.photometric): colour is compressed here only as RGB")
            }
            photometric = f.photometric
            var code = try lossless.encode(f.samples, width: f.width, height: f.height, components: f.samplesPerPixel, bits: d.bitsStored, signed: d.isSigned)
            if code.count & 1 == 1 { code.append(0) }   // fragments have even lengths (PS3.5 A.4)
            fragments.append(code)
            decoded.append(f.samples)
        }
        var ds = file.dataSet
        // One fragment a frame; the Basic Offset Table gives each frame's first item (PS3.5
        // A.4), left empty for a single frame and for sets past what 32-bit offsets reach.
        var offsets: [UInt8] = []
        if fragments.count > 1 {
            var at = 0
            var table: [UInt8] = []
            for f in fragments {
                guard at <= Int(UInt32.max) else { table = []; break }
                table += [UInt8(at & 0xFF), UInt8((at >> 8) & 0xFF), UInt8((at >> 16) & 0xFF), UInt8((at >> 24) & 0xFF)]
                at += 8 + f.count
            }
            offsets = table
        }
        ds.set(DataElement(.pixelData, .OB, .fragments(EncapsulatedPixelData(basicOffsetTable: offsets, fragments: fragments)), undefinedLength: true))
        if photometric != d.photometric { ds.set(.photometricInterpretation, .CS, photometric) }
        if d.samplesPerPixel > 1 { ds.set(.planarConfiguration, .US, numbers: [0]) }
        _ = ds.remove(Tag(0x7FE0, 0x0001))   // Extended Offset Table: not written
        _ = ds.remove(Tag(0x7FE0, 0x0002))
        guard let cls = file.sopClassUID, let uid = file.sopInstanceUID else {
            throw ImagingError("no SOP Class or SOP Instance UID; the file cannot be rewritten")
        }
        var meta = Part10Writer.meta(sopClassUID: cls, sopInstanceUID: uid, transferSyntax: TransferSyntax(uid: syntax))
        if let ae = file.meta.string(.sourceApplicationEntityTitle), !ae.isEmpty { meta.set(.sourceApplicationEntityTitle, .AE, ae) }
        let bytes = try Part10Writer.encode(ds, meta: meta, transferSyntax: TransferSyntax(uid: syntax))
        // Lossless means proven: what was written decodes to the same samples, frame by frame.
        let again = try PixelDataAccess(try DICOMFile.read(bytes: bytes))
        for i in 0..<d.frames {
            let g = try again.frame(i)
            guard g.samples == decoded[i] else {
                throw ImagingError("frame \(i + 1): the \(lossless.name) encoding does not decode to the source's pixels; not written")
            }
        }
        return bytes
    }

    /// The Part 10 bytes of `file` (read with its Pixel Data) in Explicit VR Little Endian.
    public static func explicitLittleEndian(_ file: DICOMFile) throws -> [UInt8] {
        var ds = file.dataSet
        if file.transferSyntax.isEncapsulated, ds[.pixelData] != nil {
            try decompress(&ds, file)
        }
        guard let cls = file.sopClassUID, let uid = file.sopInstanceUID else {
            throw ImagingError("no SOP Class or SOP Instance UID; the file cannot be rewritten")
        }
        var meta = Part10Writer.meta(sopClassUID: cls, sopInstanceUID: uid, transferSyntax: target)
        if let ae = file.meta.string(.sourceApplicationEntityTitle), !ae.isEmpty { meta.set(.sourceApplicationEntityTitle, .AE, ae) }
        return try Part10Writer.encode(ds, meta: meta, transferSyntax: target)
    }

    /// Replaces encapsulated Pixel Data by native samples; the pixel module follows what the
    /// decoder produced (a JPEG decoder that converted YCbCr gives RGB, interleaved).
    static func decompress(_ ds: inout DataSet, _ file: DICOMFile) throws {
        let access = try PixelDataAccess(file)
        let d = access.description
        guard [8, 16, 32].contains(d.bitsAllocated) else {
            throw ImagingError("Bits Allocated \(d.bitsAllocated): only 8, 16 and 32 are written natively here")
        }
        let bytesPerSample = d.bitsAllocated / 8
        let perFrame = d.rows * d.columns * d.samplesPerPixel
        var out = [UInt8]()
        out.reserveCapacity(perFrame * bytesPerSample * d.frames)
        var photometric = d.photometric
        for i in 0..<d.frames {
            let f = try access.frame(i)
            guard f.width == d.columns, f.height == d.rows, f.samplesPerPixel == d.samplesPerPixel, f.samples.count == perFrame else {
                throw ImagingError("frame \(i + 1) decodes to \(f.width) × \(f.height) × \(f.samplesPerPixel), the header says \(d.columns) × \(d.rows) × \(d.samplesPerPixel)")
            }
            photometric = f.photometric
            switch bytesPerSample {
            case 1: for s in f.samples { out.append(UInt8(truncatingIfNeeded: s)) }
            case 2: for s in f.samples { let v = UInt16(truncatingIfNeeded: s); out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8)) }
            default:
                for s in f.samples {
                    let v = UInt32(bitPattern: s)
                    out.append(UInt8(v & 0xFF)); out.append(UInt8((v >> 8) & 0xFF)); out.append(UInt8((v >> 16) & 0xFF)); out.append(UInt8(v >> 24))
                }
            }
        }
        if out.count & 1 == 1 { out.append(0) }
        ds.set(DataElement(.pixelData, bytesPerSample == 1 ? .OB : .OW, bytes: out))
        if photometric != d.photometric { ds.set(.photometricInterpretation, .CS, photometric) }
        if d.samplesPerPixel > 1 { ds.set(.planarConfiguration, .US, numbers: [0]) }   // decoders give samples interleaved
        // Encapsulation-only attributes have no meaning for native Pixel Data.
        _ = ds.remove(Tag(0x7FE0, 0x0001))   // Extended Offset Table
        _ = ds.remove(Tag(0x7FE0, 0x0002))   // Extended Offset Table Lengths
    }
}
