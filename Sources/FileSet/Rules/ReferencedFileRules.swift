import DICOM

/// What `verify` demands of a referenced file beyond its header, in one place: `create` and
/// `add` apply the same rules to the files they take in, so a file-set they write is never
/// one their own `verify` rejects. A file must parse to its last byte (nothing but elements
/// after Pixel Data), and native Pixel Data must hold Rows × Columns × Frames × Samples ×
/// Bits Allocated / 8 bytes (PS3.5 §8.1.1; one byte of padding allowed).
public enum ReferencedFileRules {
    /// The options the whole-file read uses: every length checked, bulk data left on disk.
    static let wholeFileOptions: ReadOptions = {
        var o = ReadOptions(bulkDataThreshold: 256)
        o.keepOnly = [.sopClassUID, .sopInstanceUID, .instanceNumber, .rows, .columns, .bitsAllocated, .numberOfFrames,
                      .samplesPerPixel, .photometricInterpretation, .pixelData]
        return o
    }()

    /// The native pixel length rule; nil when it holds. YBR_FULL_422 and YBR_PARTIAL_422 share
    /// chroma between two pixels: 4 bytes per pair, i.e. two samples a pixel (PS3.3 C.7.6.3.1.2).
    public static func pixelLengthProblem(rows: Int?, columns: Int?, frames: Int?, samples: Int?, bitsAllocated: Int?,
                                          photometric: String? = nil, actual: Int) -> String? {
        guard let rows, let columns, let bits = bitsAllocated, rows >= 0, columns >= 0, bits >= 0, rows <= 65_535, columns <= 65_535, bits <= 64 else { return nil }
        let frames = max(min(frames ?? 1, 1 << 20), 1)
        var samples = max(min(samples ?? 1, 4), 1)
        var width = columns
        if let p = photometric.map({ String($0.filter { $0 != " " }) }), p == "YBR_FULL_422" || p == "YBR_PARTIAL_422", samples == 3 {
            samples = 2
            width = (columns + 1) / 2 * 2
        }
        let expected = (rows * width * frames * samples * bits + 7) / 8
        guard actual != expected && actual != expected + 1 else { return nil }
        return "Pixel Data holds \(actual) bytes; Rows × Columns × Frames × Samples × Bits Allocated says \(expected)"
    }

    static func pixelLengthProblem(_ file: DICOMFile) -> String? {
        let ds = file.dataSet
        guard !file.transferSyntax.isEncapsulated, let pixels = ds[.pixelData], !pixels.hadUndefinedLength else { return nil }
        return pixelLengthProblem(rows: ds.int(.rows), columns: ds.int(.columns), frames: ds.int(.numberOfFrames),
                                  samples: ds.int(.samplesPerPixel), bitsAllocated: ds.int(.bitsAllocated),
                                  photometric: ds.string(.photometricInterpretation), actual: pixels.valueLength)
    }

    /// For a file whose header was located by `RawHeader`: nil when nothing follows its Pixel
    /// Data and the pixel length holds (no second read); else the whole file is read from
    /// `root`/`relative`. Runs once per file of a large scan, so the pixel module is read in
    /// one pass over group 0028, and nothing is allocated on the common path.
    static func problem(_ raw: RawHeader, root: String, relative: String) -> String? {
        guard let stop = raw.stopElement else { return nil }   // the header was the whole file
        if stop.tag == .pixelData, let length = stop.length, stop.valueOffset + length == raw.fileSize {
            guard !raw.transferSyntax.isEncapsulated else { return nil }
            var samples: Int?, rows: Int?, columns: Int?, bits: Int?, frames: Int?, ybr422 = false
            let elements = raw.elements
            var lo = 0, hi = elements.count
            let first = Tag(0x0028, 0x0002)
            while lo < hi { let mid = (lo + hi) >> 1; if elements[mid].tag < first { lo = mid + 1 } else { hi = mid } }
            var i = lo
            while i < elements.count, elements[i].tag <= Tag(0x0028, 0x0100) {
                let e = elements[i]
                switch e.tag.element {
                case 0x0002: samples = us(raw, e)
                case 0x0004: ybr422 = isYBR422(raw, e)
                case 0x0008: frames = raw.string(e).flatMap { Int($0.filter { $0 != " " }) }
                case 0x0010: rows = us(raw, e)
                case 0x0011: columns = us(raw, e)
                case 0x0100: bits = us(raw, e)
                default: break
                }
                i += 1
            }
            return pixelLengthProblem(rows: rows, columns: columns, frames: frames, samples: samples, bitsAllocated: bits,
                                      photometric: ybr422 ? "YBR_FULL_422" : nil, actual: length)
        }
        return problem(open: { try FileByteSource(path: root + "/" + relative) })
    }

    private static let ybrFull422 = Array("YBR_FULL_422".utf8), ybrPartial422 = Array("YBR_PARTIAL_422".utf8)

    private static func isYBR422(_ raw: RawHeader, _ e: RawHeader.Element) -> Bool {
        guard e.length >= 12 else { return false }
        let v = raw.bytes[e.valueOffset..<e.end]
        return v.starts(with: ybrFull422) || v.starts(with: ybrPartial422)
    }

    /// The whole file read as verify reads it; nil when it parses and its pixels fit.
    static func problem(open: () throws -> ByteSource) -> String? {
        do {
            let file = try DICOMFile.read(source: try open(), options: wholeFileOptions)
            return pixelLengthProblem(file)
        } catch {
            return "\(error)"
        }
    }

    private static func us(_ raw: RawHeader, _ e: RawHeader.Element) -> Int? {
        guard e.length >= 2 else { return nil }
        return Int(raw.bytes[e.valueOffset]) | Int(raw.bytes[e.valueOffset + 1]) << 8
    }
}
