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
        let access = try imageAccess(file, codec: lossless.name)
        let d = access.description
        var decoded: [[Int32]] = []
        let ds = try encapsulate(file, access) { f in
            decoded.append(f.samples)
            return try lossless.encode(f.samples, width: f.width, height: f.height, components: f.samplesPerPixel, bits: d.bitsStored, signed: d.isSigned,
                                       allocated: d.bitsAllocated, highBit: d.highBit)
        }
        let bytes = try encode(ds, file, sopInstanceUID: nil, syntax: syntax)
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

    /// The Part 10 bytes of `file` compressed lossily in `lossy` at `quality` (1–100), as a
    /// new instance (PS3.3 C.7.6.1.1.5): Image Type DERIVED, a SOP Instance UID derived from
    /// the original's (the same source and settings give the same UID), a Source Image
    /// Sequence item pointing at the original as its uncompressed predecessor, Lossy Image
    /// Compression "01" with this step's ratio and method appended, and the step described in
    /// Derivation Description and Derivation Code Sequence. Every frame is decoded again
    /// before the bytes are returned.
    public static func rewriteLossy(_ file: DICOMFile, to lossy: LossySyntax, quality: Int) throws -> [UInt8] {
        guard (1...100).contains(quality) else { throw ImagingError("quality \(quality): 1 to 100 expected") }
        let access = try imageAccess(file, codec: lossy.name)
        let d = access.description
        switch lossy {
        case .jpegBaseline where d.bitsAllocated != 8 || d.isSigned,
             .jpegExtended where d.bitsStored > 12 || d.isSigned:
            throw ImagingError("\(lossy.name) takes unsigned samples of \(lossy == .jpegBaseline ? "8 bits allocated" : "up to 12 bits stored"); this image has \(d.isSigned ? "signed " : "")\(d.bitsStored)-bit samples in \(d.bitsAllocated)")
        default: break
        }
        guard d.photometric != "PALETTE COLOR" else { throw ImagingError("palette colour is never compressed lossily (its samples are indices)") }
        // An enhanced multi-frame image's Image Type and Frame Types govern which modules
        // must be present (ORIGINAL's pulse sequence, for one): DERIVED would break it.
        let enhanced = file.dataSet[.sharedFunctionalGroupsSequence] != nil || file.dataSet[.perFrameFunctionalGroupsSequence] != nil
            || UIDRegistry.entry(for: file.sopClassUID ?? "")?.name.contains("Enhanced") == true
        guard !enhanced else {
            throw ImagingError("an enhanced multi-frame image is not compressed lossily (DERIVED would change which of its modules are required)")
        }
        guard let originalUID = file.sopInstanceUID, let cls = file.sopClassUID else {
            throw ImagingError("no SOP Class or SOP Instance UID; the file cannot be rewritten")
        }
        var ds = try encapsulate(file, access) { f in try lossy.encode(f, bits: d.bitsStored, allocated: d.bitsAllocated, signed: d.isSigned, quality: quality) }
        if d.samplesPerPixel == 3 { ds.set(.photometricInterpretation, .CS, lossy == .jpeg2000 ? "YBR_ICT" : "YBR_FULL_422") }
        var coded = 1
        if case .fragments(let f)? = ds[.pixelData]?.value { coded = f.fragments.reduce(0) { $0 + $1.count } }
        let ratio = Double(access.nativeByteCount) / Double(max(1, coded))
        LossyHistory.record(&ds, method: lossy.method, ratio: ratio)
        let uid = UIDGenerator.derived(from: originalUID, namespace: "dicomfs lossy \(lossy.rawValue) quality \(quality)")
        ds.set(.sopInstanceUID, .UI, uid)
        if var type = ds.strings(.imageType), !type.isEmpty {
            type[0] = "DERIVED"
            ds.set(.imageType, .CS, type)
        }
        let step = "Lossy compression: \(lossy.name), quality \(quality), ratio \(LossyHistory.decimalString(ratio)):1 (dicomfs)"
        let before = ds.string(.derivationDescription).map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        ds.set(.derivationDescription, .ST, String((before.isEmpty ? step : before + "; " + step).prefix(1024)))
        ds.set(.derivationCodeSequence, sequence: (ds.sequence(.derivationCodeSequence) ?? []) + [code("113040", "Lossy Compression")])
        var source = DataSet()
        source.set(.referencedSOPClassUID, .UI, cls)
        source.set(.referencedSOPInstanceUID, .UI, originalUID)
        source.set(.purposeOfReferenceCodeSequence, sequence: [code("121320", "Uncompressed predecessor")])
        ds.set(.sourceImageSequence, sequence: (ds.sequence(.sourceImageSequence) ?? []) + [source])
        let bytes = try encode(ds, file, sopInstanceUID: uid, syntax: lossy.rawValue)
        let again = try PixelDataAccess(try DICOMFile.read(bytes: bytes))
        for i in 0..<d.frames {
            let g = try again.frame(i)
            guard g.width == d.columns, g.height == d.rows, g.samplesPerPixel == d.samplesPerPixel else {
                throw ImagingError("frame \(i + 1): the \(lossy.name) encoding decodes to \(g.width) × \(g.height) × \(g.samplesPerPixel); not written")
            }
        }
        return bytes
    }

    /// A code item (DCM coding scheme, PS3.16).
    private static func code(_ value: String, _ meaning: String) -> DataSet {
        var item = DataSet()
        item.set(.codeValue, .SH, value)
        item.set(.codingSchemeDesignator, .SH, "DCM")
        item.set(.codeMeaning, .LO, meaning)
        return item
    }

    /// The pixel access of an image a codec can take: 8 or 16 bits allocated, up to 16
    /// stored, grey or three samples.
    private static func imageAccess(_ file: DICOMFile, codec: String) throws -> PixelDataAccess {
        guard file.dataSet[.pixelData] != nil else { throw ImagingError("no Pixel Data: only images are compressed") }
        let access = try PixelDataAccess(file)
        let d = access.description
        guard d.bitsAllocated == 8 || d.bitsAllocated == 16, (1...16).contains(d.bitsStored) else {
            throw ImagingError("Bits Allocated \(d.bitsAllocated), Bits Stored \(d.bitsStored): \(codec) is written for 8 or 16 bits allocated, 16 stored at most")
        }
        guard d.samplesPerPixel == 1 || d.samplesPerPixel == 3 else { throw ImagingError("\(d.samplesPerPixel) samples per pixel") }
        return access
    }

    /// The data set of `file` with its frames decoded, each passed to `code`, and the Pixel
    /// Data replaced by one fragment a frame with its offset table (PS3.5 A.4); Photometric
    /// Interpretation as decoded (RGB from a YBR JPEG), Planar Configuration 0 (coded samples
    /// are interleaved); the source's lossy history kept.
    private static func encapsulate(_ file: DICOMFile, _ access: PixelDataAccess, _ code: (DecodedFrame) throws -> [UInt8]) throws -> DataSet {
        let d = access.description
        var fragments: [[UInt8]] = []
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
            var bytes = try code(f)
            if bytes.count & 1 == 1 { bytes.append(0) }   // fragments have even lengths (PS3.5 A.4)
            fragments.append(bytes)
        }
        var ds = file.dataSet
        try keepLossyHistory(&ds, access, file.transferSyntax.uid)
        let tables = offsetTables(fragments.map(\.count))
        ds.set(DataElement(.pixelData, .OB, .fragments(EncapsulatedPixelData(basicOffsetTable: tables.basic, fragments: fragments)), undefinedLength: true))
        _ = ds.remove(.extendedOffsetTable)
        _ = ds.remove(.extendedOffsetTableLengths)
        if let extended = tables.extended {
            ds.set(DataElement(.extendedOffsetTable, .OV, bytes: extended.offsets))
            ds.set(DataElement(.extendedOffsetTableLengths, .OV, bytes: extended.lengths))
        }
        if d.samplesPerPixel > 1 { ds.set(.planarConfiguration, .US, numbers: [0]) }
        if photometric != d.photometric { ds.set(.photometricInterpretation, .CS, photometric) }
        return ds
    }

    /// The offset tables of fragments of these lengths, one a frame (PS3.5 A.4): the Basic
    /// Offset Table while every offset fits its 32 bits (empty for a single frame); past that
    /// an empty one and the Extended Offset Table with its lengths (64-bit each).
    static func offsetTables(_ lengths: [Int], limit: Int = Int(UInt32.max)) -> (basic: [UInt8], extended: (offsets: [UInt8], lengths: [UInt8])?) {
        guard lengths.count > 1 else { return ([], nil) }
        var offsets: [Int] = []
        var at = 0
        for n in lengths { offsets.append(at); at += 8 + n }
        func bytes(_ values: [Int], width: Int) -> [UInt8] {
            values.flatMap { v in (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        }
        if (offsets.last ?? 0) <= limit { return (bytes(offsets, width: 4), nil) }
        return ([], (bytes(offsets, width: 8), bytes(lengths, width: 8)))
    }

    /// A source coded lossily leaves "01" and its method and ratio on whatever is made of it
    /// (PS3.3 C.7.6.1.1.5: once "01", never reset).
    private static func keepLossyHistory(_ ds: inout DataSet, _ access: PixelDataAccess, _ syntax: String) throws {
        guard let first = try access.codedFrame(0), let method = LossyHistory.method(syntax: syntax, frame: first) else { return }
        LossyHistory.record(&ds, method: method, ratio: Double(access.nativeByteCount) / Double(max(1, access.codedByteCount ?? 1)))
    }

    /// `ds` as a Part 10 file in `syntax`, its meta group made anew (the Source AE title kept).
    private static func encode(_ ds: DataSet, _ file: DICOMFile, sopInstanceUID: String?, syntax: String) throws -> [UInt8] {
        guard let cls = file.sopClassUID, let uid = sopInstanceUID ?? file.sopInstanceUID else {
            throw ImagingError("no SOP Class or SOP Instance UID; the file cannot be rewritten")
        }
        var meta = Part10Writer.meta(sopClassUID: cls, sopInstanceUID: uid, transferSyntax: TransferSyntax(uid: syntax))
        if let ae = file.meta.string(.sourceApplicationEntityTitle), !ae.isEmpty { meta.set(.sourceApplicationEntityTitle, .AE, ae) }
        return try Part10Writer.encode(ds, meta: meta, transferSyntax: TransferSyntax(uid: syntax))
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
        try keepLossyHistory(&ds, access, file.transferSyntax.uid)
        if photometric != d.photometric { ds.set(.photometricInterpretation, .CS, photometric) }
        if d.samplesPerPixel > 1 { ds.set(.planarConfiguration, .US, numbers: [0]) }   // decoders give samples interleaved
        // Encapsulation-only attributes have no meaning for native Pixel Data.
        _ = ds.remove(.extendedOffsetTable)
        _ = ds.remove(.extendedOffsetTableLengths)
    }
}
