import DICOM

/// Decodes the frames of a file's Pixel Data, whatever its transfer syntax.
public struct PixelDataAccess: Sendable {
    public let description: PixelDescription
    public let transferSyntax: TransferSyntax
    private let native: [UInt8]?
    private let encapsulated: EncapsulatedPixelData?
    private let nativeVR: VR

    /// `file` must have been read with its Pixel Data loaded (the default ReadOptions).
    public init(_ file: DICOMFile) throws {
        let ds = file.dataSet
        description = try PixelDescription(ds)
        transferSyntax = file.transferSyntax
        guard let element = ds[.pixelData] ?? ds[Tag(0x7FE0, 0x0008)] ?? ds[Tag(0x7FE0, 0x0009)] else {
            throw ImagingError("no Pixel Data (7FE0,0010)")
        }
        nativeVR = element.vr
        switch element.value {
        case .bytes(let b): native = b; encapsulated = nil
        case .fragments(let f): native = nil; encapsulated = f
        case .notLoaded: throw ImagingError("Pixel Data was not loaded (the file was read header-only)")
        case .sequence: throw ImagingError("Pixel Data is a sequence")
        }
    }

    public var frameCount: Int { description.frames }

    /// Frame `index` as coded in the file (nil for native Pixel Data).
    public func codedFrame(_ index: Int) throws -> [UInt8]? {
        guard let encapsulated else { return nil }
        return try Self.frameBytes(encapsulated, index: index, frames: description.frames)
    }

    /// The bytes of all fragments (nil for native Pixel Data): a compression ratio's divisor.
    public var codedByteCount: Int? { encapsulated?.fragments.reduce(0) { $0 + $1.count } }

    /// The size of all frames as native samples: a compression ratio's dividend.
    public var nativeByteCount: Int {
        description.pixelsPerFrame * description.samplesPerPixel * max(1, description.bitsAllocated / 8) * description.frames
    }

    public func frame(_ index: Int) throws -> DecodedFrame {
        guard index >= 0 && index < description.frames else {
            throw ImagingError("frame \(index + 1) of \(description.frames)")
        }
        if let native {
            return try NativeDecoder.decode(native, frame: index, description, wordSwapped: transferSyntax.isBigEndian && nativeVR == .OW)
        }
        guard let encapsulated else { throw ImagingError("no Pixel Data") }
        let bytes = try Self.frameBytes(encapsulated, index: index, frames: description.frames)
        switch transferSyntax.uid {
        case "1.2.840.10008.1.2.5":
            return try RLEDecoder.decode(bytes, description)
        case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70":
            // The frame header is compared with the pixel module before anything is decoded
            // (fuzz finding: a 5 KB frame declaring 65438 × 156 × 3 took seconds to decode).
            try CodestreamHeader.check(bytes, codec: .jpeg, description)
            let r = try JPEGLosslessDecoder.decode(bytes)
            guard r.width == description.columns, r.height == description.rows, r.components == description.samplesPerPixel else {
                throw ImagingError("the JPEG Lossless codestream is \(r.width) × \(r.height) × \(r.components) but the header says \(description.columns) × \(description.rows) × \(description.samplesPerPixel)")
            }
            var samples = r.samples
            if description.isSigned {
                let bits = description.bitsStored
                for i in samples.indices where samples[i] & Int32(1 << (bits - 1)) != 0 { samples[i] -= Int32(1 << bits) }
            }
            return DecodedFrame(width: r.width, height: r.height, samplesPerPixel: r.components, photometric: description.photometric, samples: samples)
        case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51":
            // libjpeg-turbo for 8-bit samples; 12-bit Extended (process 4) through GDCM's
            // 12-bit IJG build, as Debian's libjpeg-turbo 2.1 has no 12-bit decoder.
            let twelve = description.bitsAllocated > 8 || Self.jpegPrecision(bytes) == 12
            return try LibraryDecoders.decode(bytes, codec: twelve ? .jpeg12 : .jpeg, description)
        case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203":
            return try LibraryDecoders.decode(bytes, codec: .jpeg2000, description)
        case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81":
            return try LibraryDecoders.decode(bytes, codec: .jpegLS, description)
        default:
            throw ImagingError("transfer syntax \(transferSyntax.uid) (\(UIDRegistry.entry(for: transferSyntax.uid)?.name ?? "unknown")) cannot be decoded")
        }
    }

    /// The sample precision of a JPEG stream's first SOF marker, if one is found.
    static func jpegPrecision(_ b: [UInt8]) -> Int? {
        var i = 2
        while i + 4 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC { return Int(b[i + 4]) }
            i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
        }
        return nil
    }

    /// One frame's bytes (PS3.5 A.4): by the Basic Offset Table, one fragment per frame, or
    /// everything for a single frame.
    static func frameBytes(_ e: EncapsulatedPixelData, index: Int, frames: Int) throws -> [UInt8] {
        if frames == 1 { return e.fragments.count == 1 ? e.fragments[0] : Array(e.fragments.joined()) }
        let offsets = e.frameOffsets
        if offsets.count == frames {
            // Offsets count from the first fragment's item tag; each item has an 8-byte header.
            var starts: [Int] = [], position = 0
            for f in e.fragments { starts.append(position); position += f.count + 8 }
            let from = Int(offsets[index]), to = index + 1 < frames ? Int(offsets[index + 1]) : position
            let chosen = e.fragments.indices.filter { starts[$0] >= from && starts[$0] < to }
            guard !chosen.isEmpty else { throw ImagingError("Basic Offset Table entry \(index + 1) points at no fragment") }
            return Array(chosen.map { e.fragments[$0] }.joined())
        }
        if e.fragments.count == frames { return e.fragments[index] }
        throw ImagingError("\(e.fragments.count) fragments for \(frames) frames and no Basic Offset Table")
    }
}
