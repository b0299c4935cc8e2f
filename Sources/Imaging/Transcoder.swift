import DICOM

/// Rewrites an instance in Explicit VR Little Endian — the one syntax every PS3.11 general
/// purpose profile allows: encapsulated Pixel Data decoded (JPEG, JPEG Lossless, JPEG-LS,
/// JPEG 2000, RLE) frame by frame into native samples, an Implicit VR, Big Endian or deflated
/// data set re-encoded. The SOP Instance UID stays (the pixel values are those the
/// compressed stream decodes to, lossless or not; Lossy Image Compression, when set, stays
/// set). The source file is never touched.
public enum Transcoder {
    public static let target = TransferSyntax.explicitVRLittleEndian

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
