/// A DICOM file as read: preamble, File Meta Information, data set, and what was tolerated.
public struct DICOMFile: Sendable {
    public var path: String?
    /// The 128-byte preamble; nil for files without one (legacy ACR-NEMA style or bare data sets).
    public var preamble: [UInt8]?
    /// Group 0002; empty for files without meta information.
    public var meta: DataSet
    public var dataSet: DataSet
    /// The syntax the data set was actually read with (after any correction, see warnings).
    public var transferSyntax: TransferSyntax
    public var warnings: [ReadWarning]
    /// Where the data set starts in the file.
    public var dataSetOffset: Int
    /// Where a header-only read stopped (the stop element's first byte), if it stopped early.
    public var stoppedAt: Int?
    /// Bytes pulled from the file; shows what a header-only scan cost.
    public var bytesRead: Int
    /// Size of the whole file (or byte source) in bytes.
    public var fileSize = 0

    public init(preamble: [UInt8]?, meta: DataSet, dataSet: DataSet, transferSyntax: TransferSyntax) {
        self.preamble = preamble
        self.meta = meta
        self.dataSet = dataSet
        self.transferSyntax = transferSyntax
        warnings = []
        dataSetOffset = 0
        bytesRead = 0
    }

    public var hasMetaInformation: Bool { !meta.isEmpty }

    /// SOP Class UID of the data set, else the meta information's Media Storage SOP Class UID
    /// (the data set's is what DICOMDIR records reference; the two should agree).
    public var sopClassUID: String? { nonEmptyString(dataSet.string(.sopClassUID)) ?? meta.string(.mediaStorageSOPClassUID) }
    public var sopInstanceUID: String? { nonEmptyString(dataSet.string(.sopInstanceUID)) ?? meta.string(.mediaStorageSOPInstanceUID) }

    // MARK: Reading

    public static func read(path: String, options: ReadOptions = ReadOptions()) throws -> DICOMFile {
        do {
            return try read(source: try FileByteSource(path: path), path: path, options: options)
        } catch let e as DICOMError {
            throw e.withFile(path)
        }
    }

    /// Reads from any source; `path` names it in errors and in the result.
    public static func read(source: ByteSource, path: String, options: ReadOptions = ReadOptions()) throws -> DICOMFile {
        do {
            var file = try read(source: source, options: options)
            file.path = path
            return file
        } catch let e as DICOMError {
            throw e.withFile(path)
        }
    }

    public static func read(bytes: [UInt8], options: ReadOptions = ReadOptions()) throws -> DICOMFile {
        try read(source: MemoryByteSource(bytes), options: options)
    }

    public static func read(source: ByteSource, options: ReadOptions = ReadOptions()) throws -> DICOMFile {
        try read(source: source, options: options, mapping: nil)
    }

    /// Reads a file whose data set holds one long top-level sequence — a DICOMDIR's Directory
    /// Record Sequence holds an item per file of the file-set — and hands each item of the
    /// sequence `tag` to `transform` as soon as it is parsed (on all cores, for a long run of
    /// defined-length items), keeping only what `transform` returns. Memory then holds the
    /// results instead of every item's elements at once: a DICOMDIR of 75,000 records parsed
    /// whole took about six times its size (one timed run). The file comes back with that sequence empty (its
    /// offsets kept); the results come in file order; errors and warnings are the same as a
    /// whole read gives.
    public static func read<T: Sendable>(source: ByteSource, path: String, options: ReadOptions = ReadOptions(),
                                         mappingItemsOf tag: Tag, _ transform: @escaping @Sendable (DataSet) -> T) throws -> (file: DICOMFile, items: [T]) {
        let mapping = MappedItems(tag: tag, transform: transform)
        do {
            var file = try read(source: source, options: options, mapping: mapping)
            file.path = path
            return (file, mapping.results)
        } catch let e as DICOMError {
            throw e.withFile(path)
        }
    }

    private static func read(source: ByteSource, options: ReadOptions, mapping: ItemMapping?) throws -> DICOMFile {
        guard source.size > 0 else { throw DICOMError(.notDICOM, "empty file (0 bytes), not DICOM", offset: 0) }
        let cursor = Cursor(source: source, readAhead: options.readAhead)
        let parser = DataSetParser(cursor: cursor, options: options)
        parser.mapping = mapping
        var preamble: [UInt8]?
        var metaStart: Int?
        var warnings: [ReadWarning] = []

        let head = try cursor.bytes(min(132, source.size))
        if head.count == 132 && head[128..<132].elementsEqual("DICM".utf8) {
            preamble = Array(head[0..<128])
            metaStart = 132
        } else if head.count >= 4 && head[0..<4].elementsEqual("DICM".utf8) {
            warnings.append(ReadWarning(offset: 0, tag: nil, message: "no 128-byte preamble before the DICM prefix"))
            metaStart = 4
        }

        // Meta information: always Explicit VR Little Endian; tolerate implicit with a warning.
        var meta = DataSet()
        var dataSetStart: Int
        var legacy: Syntax?
        if metaStart == nil {
            legacy = try inferLegacySyntax(head)
            if let l = legacy, l.explicitVR, !l.bigEndian, head.count >= 2, head[0] == 0x02, head[1] == 0x00 {
                warnings.append(ReadWarning(offset: 0, tag: nil, message: "no preamble and DICM prefix; File Meta Information starts at byte 0"))
                metaStart = 0
                legacy = nil
            }
        }
        if let metaStart {
            cursor.seek(metaStart)
            var metaSyntax = Syntax.explicitLittle
            if cursor.remaining >= 6, VR(try cursor.peekU8(at: 4), try cursor.peekU8(at: 5)) == nil {
                metaSyntax = .implicitLittle
                warnings.append(ReadWarning(offset: metaStart, tag: nil, message: "File Meta Information is not Explicit VR Little Endian; read as implicit"))
            }
            (meta, _) = try parser.parseDataSet(end: nil, depth: 0, syntax: metaSyntax, charset: .default, groupOnly: 0x0002)
            dataSetStart = cursor.pos
            if let gl = meta[.fileMetaInformationGroupLength], let v = meta.uint(.fileMetaInformationGroupLength), let off = gl.offset {
                let declaredEnd = off + 12 + Int(v)
                if declaredEnd != dataSetStart {
                    warnings.append(ReadWarning(offset: off, tag: gl.tag,
                        message: "group length says the meta information ends at byte \(declaredEnd), it ends at \(dataSetStart)"))
                }
            }
            if meta.isEmpty {
                warnings.append(ReadWarning(offset: metaStart, tag: nil, message: "DICM prefix present but no File Meta Information"))
            }
        } else {
            dataSetStart = 0
        }

        // The transfer syntax: declared in the meta, checked against the first element's bytes.
        var syntax: TransferSyntax
        if let uid = meta.string(.transferSyntaxUID), !uid.isEmpty {
            syntax = TransferSyntax(uid: uid)
            if !syntax.isKnown {
                warnings.append(ReadWarning(offset: meta[.transferSyntaxUID]?.offset, tag: .transferSyntaxUID,
                    message: "unknown transfer syntax \(uid); read as encapsulated Explicit VR Little Endian"))
            }
        } else {
            let inferred = try legacy ?? inferSyntax(cursor, at: dataSetStart, declared: nil) ?? .implicitLittle
            syntax = inferred.explicitVR
                ? (inferred.bigEndian ? .explicitVRBigEndian : .explicitVRLittleEndian) : .implicitVRLittleEndian
            let why = metaStart == nil ? "no File Meta Information" : "no Transfer Syntax UID in the meta information"
            warnings.append(ReadWarning(offset: dataSetStart, tag: nil, message: "\(why); read as \(syntax.name) by inference"))
        }

        var file = DICOMFile(preamble: preamble, meta: meta, dataSet: DataSet(), transferSyntax: syntax)
        file.dataSetOffset = dataSetStart
        if syntax.isDeflated {
            cursor.seek(dataSetStart)
            let compressed = try cursor.bytes(cursor.remaining)
            do {
                let inflated = try inflateRaw(compressed)
                let inner = Cursor(source: MemoryByteSource(inflated), readAhead: 1 << 16)
                let innerParser = DataSetParser(cursor: inner, options: options)
                innerParser.mapping = mapping
                (file.dataSet, _) = try innerParser.parseDataSet(end: nil, depth: 0, syntax: .explicitLittle, charset: .default)
                warnings += innerParser.warnings.map { var w = $0; w.message += " (in the inflated data set)"; return w }
                file.stoppedAt = innerParser.stoppedAt
            } catch var e as DICOMError {
                if e.offset != nil { e.inInflatedStream = true } else { e.offset = dataSetStart }
                throw e
            }
        } else {
            var dataSyntax = Syntax(explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
            if let actual = try inferSyntax(cursor, at: dataSetStart, declared: dataSyntax), actual != dataSyntax {
                warnings.append(ReadWarning(offset: dataSetStart, tag: nil,
                    message: "transfer syntax says \(dataSyntax.explicitVR ? "explicit" : "implicit") VR but the data set is \(actual.explicitVR ? "explicit" : "implicit") VR; read as it is"))
                dataSyntax = actual
                if !syntax.isEncapsulated {
                    file.transferSyntax = actual.explicitVR ? .explicitVRLittleEndian : .implicitVRLittleEndian
                }
            }
            cursor.seek(dataSetStart)
            (file.dataSet, _) = try parser.parseDataSet(end: nil, depth: 0, syntax: dataSyntax, charset: .default)
            file.stoppedAt = parser.stoppedAt
        }
        file.warnings = warnings + parser.warnings
        file.bytesRead = cursor.bytesRead
        file.fileSize = source.size
        return file
    }

    /// Syntax of a file with neither preamble nor DICM prefix, from its first element.
    private static func inferLegacySyntax(_ head: [UInt8]) throws -> Syntax {
        guard head.count >= 8 else {
            throw DICOMError(.notDICOM, "not a DICOM file: \(head.count) bytes, too short for a data element", offset: 0)
        }
        let le = UInt16(head[0]) | UInt16(head[1]) << 8
        let be = UInt16(head[0]) << 8 | UInt16(head[1])
        let hasVR = VR(head[4], head[5]) != nil
        // Data sets start with a low, even group: 0002 (meta), 0004, 0008 (identification) or 0000.
        let plausible: (UInt16) -> Bool = { $0 & 1 == 0 && $0 <= 0x0010 }
        if plausible(le) && (le != 0 || head[2] != 0 || head[3] != 0) {
            return Syntax(explicitVR: hasVR, bigEndian: false)
        }
        if plausible(be) && be != 0 && hasVR { return Syntax(explicitVR: true, bigEndian: true) }
        throw DICOMError(.notDICOM, "not a DICOM file: no \"DICM\" prefix at byte 128 and no data element at byte 0", offset: 0)
    }

    /// Looks at the first data set element to tell explicit from implicit VR; nil if undecidable.
    private static func inferSyntax(_ cursor: Cursor, at offset: Int, declared: Syntax?) throws -> Syntax? {
        guard cursor.size - offset >= 8 else { return declared }
        cursor.seek(offset)
        let b = try cursor.bytes(8)
        let bigEndian = declared?.bigEndian ?? false
        let tag = bigEndian ? Tag(UInt16(b[0]) << 8 | UInt16(b[1]), UInt16(b[2]) << 8 | UInt16(b[3]))
                            : Tag(UInt16(b[0]) | UInt16(b[1]) << 8, UInt16(b[2]) | UInt16(b[3]) << 8)
        if tag.isDelimiter { return declared }
        if let vr = VR(b[4], b[5]) {
            // Implicit files can start with bytes that happen to be letters: require agreement
            // with the dictionary (or a private/unknown tag) before overruling a declared implicit.
            if declared?.explicitVR == false {
                let dict = DataDictionary.entry(for: tag)
                if let dict, !dict.vrText.contains(vr.rawValue) { return declared }
            }
            return Syntax(explicitVR: true, bigEndian: bigEndian)
        }
        return Syntax(explicitVR: false, bigEndian: bigEndian)
    }
}

func nonEmptyString(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}

extension DICOMFile {
    /// What can be read of a file whose reading failed with `failure`: the file read again from
    /// a source that ends where the failing element starts (and again, up to 16 times, where a
    /// cut sequence or item then fails). Nil when nothing before the failure reads. For `dump`,
    /// which prints what was read and then the located error.
    public static func readBefore(_ failure: DICOMError, path: String, options: ReadOptions = ReadOptions()) -> DICOMFile? {
        guard var end = failure.offset, let source = try? FileByteSource(path: path) else { return nil }
        for _ in 0..<16 where end > 0 && end <= source.size {
            do {
                var file = try read(source: PrefixByteSource(source, size: end), options: options)
                file.path = path
                return file
            } catch let e as DICOMError {
                guard let next = e.offset, next < end else { return nil }
                end = next
            } catch {
                return nil
            }
        }
        return nil
    }
}

/// The first `size` bytes of another source.
final class PrefixByteSource: ByteSource {
    let base: ByteSource
    let size: Int
    init(_ base: ByteSource, size: Int) { self.base = base; self.size = min(size, base.size) }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        guard offset < size else { return 0 }
        let n = min(buffer.count, size - offset)
        return try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]), at: offset)
    }
}

extension DataSet {
    /// A bare data set — no preamble, no File Meta Information — in `syntax`: what DIMSE
    /// carries on the network (command sets always Implicit VR Little Endian, data sets in the
    /// presentation context's syntax). A deflated syntax is inflated first. Errors carry the
    /// byte offset within `bytes`.
    public static func decode(_ bytes: [UInt8], syntax: TransferSyntax, options: ReadOptions = ReadOptions()) throws -> DataSet {
        try decode(source: MemoryByteSource(bytes), syntax: syntax, options: options)
    }

    /// As `decode(_:syntax:options:)`, from any source (a spooled file, say).
    public static func decode(source: ByteSource, syntax: TransferSyntax, options: ReadOptions = ReadOptions()) throws -> DataSet {
        if syntax.isDeflated {
            let cursor = Cursor(source: source, readAhead: options.readAhead)
            let inflated = try inflateRaw(try cursor.bytes(source.size))
            return try decode(inflated, syntax: .explicitVRLittleEndian, options: options)
        }
        let cursor = Cursor(source: source, readAhead: options.readAhead)
        let parser = DataSetParser(cursor: cursor, options: options)
        return try parser.parseDataSet(end: nil, depth: 0, syntax: Syntax(explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian),
                                       charset: .default).0
    }
}
