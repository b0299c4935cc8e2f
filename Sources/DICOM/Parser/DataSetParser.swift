/// A problem the reader worked around; reading went on.
public struct ReadWarning: Sendable, Equatable, CustomStringConvertible {
    public var offset: Int?
    public var tag: Tag?
    public var message: String
    /// The data is damaged (something was cut or guessed to read on), not merely irregular:
    /// a reader reports it as an error while still showing what it could read.
    public var damage = false

    public init(offset: Int?, tag: Tag?, message: String, damage: Bool = false) {
        self.offset = offset
        self.tag = tag
        self.message = message
        self.damage = damage
    }

    public var description: String {
        var s = ""
        if let offset { s += "at byte \(offset): " }
        if let tag { s += "element \(tag) \(DataDictionary.keyword(for: tag)): " }
        return s + message
    }
}

/// The encoding of the bytes being parsed: may change inside a UN sequence (PS3.5 §6.2.2).
struct Syntax: Equatable {
    var explicitVR: Bool
    var bigEndian: Bool
    static let implicitLittle = Syntax(explicitVR: false, bigEndian: false)
    static let explicitLittle = Syntax(explicitVR: true, bigEndian: false)
}

/// Recursive-descent parser for data sets, items and sequences over a `Cursor`.
///
/// Every declared length is checked against the bytes left in its container before anything
/// is allocated; nesting is bounded by `maxDepth`; every failure names offset and tag.
final class DataSetParser {
    let cursor: Cursor
    let options: ReadOptions
    private(set) var warnings: [ReadWarning] = []
    /// Offset where a header-only read stopped, if it did.
    private(set) var stoppedAt: Int?
    /// One growing buffer per nesting depth, reused for every data set at that depth: each data
    /// set is then copied out at its exact size (no repeated growth, no spare capacity kept by
    /// the tens of thousands of small items a DICOMDIR holds).
    private var scratch: [[DataElement]] = []
    /// A top-level sequence whose items are handed over as they are parsed, not kept.
    var mapping: ItemMapping?

    init(cursor: Cursor, options: ReadOptions) {
        self.cursor = cursor
        self.options = options
    }

    private static let undefinedLength: UInt32 = 0xFFFF_FFFF

    func warn(_ message: String, offset: Int?, tag: Tag?, damage: Bool = false) {
        if warnings.count < 1000 { warnings.append(ReadWarning(offset: offset, tag: tag, message: message, damage: damage)) }
    }

    private func error(_ kind: DICOMError.Kind, _ message: String, at offset: Int, _ tag: Tag?) -> DICOMError {
        DICOMError(kind, message, offset: offset, tag: tag)
    }

    /// Turns a short read into an error that names the element being decoded.
    private func context<T>(_ start: Int, _ tag: Tag?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as EndOfData {
            throw error(.truncated, "file ends: needed \(e.needed) more bytes, only \(e.available) left", at: start, tag)
        }
    }

    // MARK: Data sets

    enum End { case endOfData, itemDelimiter, stop }

    /// Parses elements until `end` (an absolute offset), the end of the source, or an item
    /// delimiter when `inUndefinedItem`.
    func parseDataSet(end: Int?, depth: Int, syntax: Syntax, charset: SpecificCharacterSet,
                      inUndefinedItem: Bool = false, groupOnly: UInt16? = nil) throws -> (DataSet, End) {
        cursor.bigEndian = syntax.bigEndian
        while scratch.count <= depth { scratch.append([]) }
        var elements: [DataElement] = []
        swap(&elements, &scratch[depth])
        defer {
            elements.removeAll(keepingCapacity: true)
            swap(&elements, &scratch[depth])
        }
        var charset = charset
        var signedPixels = false
        var sorted = true
        let limit = end ?? cursor.size
        while true {
            if cursor.pos >= limit {
                if inUndefinedItem {
                    throw error(.truncated, "item with undefined length has no item delimiter (FFFE,E00D) before the end of its container",
                                at: cursor.pos, nil)
                }
                if cursor.pos > limit {
                    throw error(.invalidLength, "element runs \(cursor.pos - limit) bytes past the end of its item", at: limit, elements.last?.tag)
                }
                return (try finish(elements, sorted, charset), .endOfData)
            }
            let start = cursor.pos
            if let groupOnly, try context(start, nil, { try cursor.peekU16() }) != groupOnly {
                return (try finish(elements, sorted, charset), .endOfData)
            }
            let tag = try context(start, nil) { Tag(try cursor.u16(), try cursor.u16()) }
            if tag == .itemDelimitation {
                let length = try context(start, tag) { try cursor.u32() }
                if length != 0 { warn("item delimiter has length \(length), expected 0", offset: start, tag: tag) }
                if inUndefinedItem { return (try finish(elements, sorted, charset), .itemDelimiter) }
                throw error(.invalidEncoding, "item delimiter (FFFE,E00D) outside an item of undefined length", at: start, tag)
            }
            if tag.isDelimiter {
                if depth == 0 && tag == .sequenceDelimitation {
                    _ = try context(start, tag) { try cursor.u32() }
                    warn("stray sequence delimiter (FFFE,E0DD) in the data set ignored", offset: start, tag: tag)
                    continue
                }
                throw error(.invalidEncoding, "found \(tag) where a data element was expected", at: start, tag)
            }
            if depth == 0, tag.group == 0, tag.element == 0, end == nil, try cursor.restIsZero() {
                warn("\(cursor.size - start) trailing zero bytes after the data set ignored", offset: start, tag: nil)
                cursor.seek(cursor.size)
                continue
            }
            if depth == 0, groupOnly == nil, let stop = options.stopBefore, tag >= stop {
                try checkStopElementFits(tag: tag, start: start, syntax: syntax)
                cursor.seek(start)
                stoppedAt = start
                return (try finish(elements, sorted, charset), .stop)
            }
            if let last = elements.last?.tag, tag <= last {
                if tag == last {
                    throw error(.invalidEncoding, "element \(tag) appears twice in the same data set", at: start, tag)
                }
                sorted = false
                warn("elements out of ascending tag order (after \(last))", offset: start, tag: tag)
            }
            let discard = depth == 0 && (groupOnly == nil || options.keepOnlyAppliesToMeta)
                && tag != .specificCharacterSet && tag != .pixelRepresentation && !options.keeps(tag)
            var element = try parseElement(tag: tag, start: start, limit: limit, depth: depth, syntax: syntax,
                                           charset: charset, signedPixels: signedPixels, discard: discard)
            cursor.bigEndian = syntax.bigEndian
            if discard { continue }
            if tag == .specificCharacterSet, let b = element.bytes {
                charset = SpecificCharacterSet(String(decoding: b, as: UTF8.self))
                if let problem = charset.problem { warn(problem, offset: start, tag: tag) }
            } else if tag == .pixelRepresentation, let b = element.bytes, b.count >= 2 {
                signedPixels = b[0] | b[1] != 0
            }
            if case .sequence(var items) = element.value, tag != .specificCharacterSet {
                // Items inherit the character set in force where the sequence was read.
                for i in items.indices where !items[i].contains(.specificCharacterSet) { items[i].characterSet = charset }
                element.value = .sequence(items)
            }
            elements.append(element)
        }
    }

    /// Out-of-order elements are sorted; an element present twice is an error either way.
    /// A header-only read does not read the element it stops at, but checks that its declared
    /// length fits the file: a file truncated inside its pixel data is caught for 8 more bytes.
    private func checkStopElementFits(tag: Tag, start: Int, syntax: Syntax) throws {
        var length: UInt32
        if syntax.explicitVR {
            let (b0, b1) = try context(start, tag) { (try cursor.u8(), try cursor.u8()) }
            guard let vr = VR(b0, b1) else { return }
            length = vr.hasLongLength ? try context(start, tag) { _ = try cursor.u16(); return try cursor.u32() }
                                      : UInt32(try context(start, tag) { try cursor.u16() })
        } else {
            length = try context(start, tag) { try cursor.u32() }
        }
        if length != Self.undefinedLength && Int(length) > cursor.remaining {
            throw error(.invalidLength, "declared length \(length) exceeds the \(cursor.remaining) bytes left in the file", at: start, tag)
        }
    }

    private func finish(_ scratch: [DataElement], _ sorted: Bool, _ charset: SpecificCharacterSet) throws -> DataSet {
        let elements = [DataElement](unsafeUninitializedCapacity: scratch.count) { buffer, count in
            _ = buffer.initialize(from: scratch)
            count = scratch.count
        }
        if sorted { return DataSet(sortedElements: elements, characterSet: charset) }
        let ds = DataSet(elements, characterSet: charset)
        for (a, b) in zip(ds.elements, ds.elements.dropFirst()) where a.tag == b.tag {
            let second = max(a.offset ?? 0, b.offset ?? 0)
            throw error(.invalidEncoding, "element \(a.tag) appears twice in the same data set", at: second, a.tag)
        }
        return ds
    }

    // MARK: Elements

    private func parseElement(tag: Tag, start: Int, limit: Int, depth: Int, syntax: Syntax,
                              charset: SpecificCharacterSet, signedPixels: Bool, discard: Bool) throws -> DataElement {
        var vr: VR
        let length: UInt32
        if syntax.explicitVR {
            let (b0, b1) = try context(start, tag) { (try cursor.u8(), try cursor.u8()) }
            if let known = VR(b0, b1) {
                vr = known
            } else if (0x41...0x5A).contains(b0) && (0x41...0x5A).contains(b1) {
                // A VR newer than this reader: PS3.5 §6.2 says future VRs use the long form.
                warn("unknown VR \"\(String(decoding: [b0, b1], as: UTF8.self))\" read as UN", offset: start, tag: tag)
                vr = .UN
                cursor.seek(cursor.pos - 2)
                try context(start, tag) { _ = try cursor.u16(); _ = try cursor.u16() }
                let len = try context(start, tag) { try cursor.u32() }
                return try parseValue(tag: tag, vr: vr, length: len, start: start, limit: limit, depth: depth,
                                      syntax: syntax, charset: charset, discard: discard)
            } else {
                throw error(.invalidEncoding, "expected a two-letter VR, found bytes \(hex2(b0)) \(hex2(b1))", at: start, tag)
            }
            if vr.hasLongLength {
                length = try context(start, tag) { _ = try cursor.u16(); return try cursor.u32() }
            } else {
                length = UInt32(try context(start, tag) { try cursor.u16() })
            }
            if options.strict, let expected = DataDictionary.entry(for: tag), let dictVR = expected.vr,
               !expected.vrText.contains(vr.rawValue), vr != .UN, dictVR != .UN {
                throw error(.invalidEncoding, "VR \(vr.rawValue) does not match the dictionary's \(expected.vrText)", at: start, tag)
            }
            // PS3.5 §6.2.2: the value of a standard element sent as UN is the Implicit VR Little
            // Endian encoding of its real VR, so it is read as that VR (as pydicom, DCMTK and
            // dcm4che do): a SOP Instance UID or Series Number is a value, not bulk data.
            // Only where the result writes back: a sequence of defined-length items that fill
            // the value exactly (nothing parsed past it), a value short enough for its VR.
            if vr == .UN, !syntax.bigEndian, length != Self.undefinedLength, !tag.isPrivate,
               let dictVR = DataDictionary.entry(for: tag)?.vr, dictVR != .UN {
                let valueStart = cursor.pos, n = Int(length)
                if dictVR == .SQ, n <= limit - valueStart, definedItemsFill(from: valueStart, count: n) {
                    if let items = try? parseSequence(tag: tag, end: valueStart + n, limit: valueStart + n, depth: depth + 1,
                                                      syntax: .implicitLittle, charset: charset), cursor.pos == valueStart + n {
                        cursor.bigEndian = syntax.bigEndian
                        return DataElement(tag, .SQ, .sequence(items), offset: start, valueOffset: valueStart)
                    }
                    cursor.bigEndian = syntax.bigEndian
                    cursor.seek(valueStart)
                } else if dictVR != .SQ {
                    let real = DataDictionary.implicitVR(for: tag, signedPixels: signedPixels)
                    if real.hasLongLength || n <= 0xFFFE { vr = real }
                }
            }
        } else {
            vr = DataDictionary.implicitVR(for: tag, signedPixels: signedPixels)
            length = try context(start, tag) { try cursor.u32() }
        }
        return try parseValue(tag: tag, vr: vr, length: length, start: start, limit: limit, depth: depth,
                              syntax: syntax, charset: charset, discard: discard)
    }

    /// Whether `count` bytes from `start` are items (FFFE,E000) of defined lengths that end
    /// exactly where the value does; the cursor is left where it was.
    private func definedItemsFill(from start: Int, count: Int) -> Bool {
        let saved = cursor.pos, savedOrder = cursor.bigEndian
        defer { cursor.seek(saved); cursor.bigEndian = savedOrder }
        cursor.bigEndian = false
        var pos = start
        let end = start + count
        while pos < end {
            guard pos + 8 <= end else { return false }
            cursor.seek(pos)
            guard let group = try? cursor.u16(), let element = try? cursor.u16(), let length = try? cursor.u32(),
                  group == 0xFFFE, element == 0xE000, length != Self.undefinedLength, Int(length) <= end - pos - 8 else { return false }
            pos += 8 + Int(length)
        }
        return pos == end
    }

    private func parseValue(tag: Tag, vr: VR, length: UInt32, start: Int, limit: Int, depth: Int,
                            syntax: Syntax, charset: SpecificCharacterSet, discard: Bool = false) throws -> DataElement {
        let valueStart = cursor.pos
        if length == Self.undefinedLength {
            if tag == .pixelData && (vr == .OB || vr == .OW || !syntax.explicitVR) {
                let value = try parseFragments(tag: tag, limit: limit)
                return DataElement(tag, syntax.explicitVR ? vr : .OB, value, offset: start, valueOffset: valueStart, undefinedLength: true)
            }
            if vr == .SQ || vr == .UN || !syntax.explicitVR {
                // UN of undefined length is an Implicit VR Little Endian sequence (PS3.5 §6.2.2).
                let inner = vr == .SQ ? syntax : .implicitLittle
                if depth == 0, let mapping, mapping.tag == tag {
                    try mapping.parseItems(self, tag: tag, start: valueStart, end: nil, limit: limit, depth: depth + 1, syntax: inner, charset: charset)
                    cursor.bigEndian = syntax.bigEndian
                    return DataElement(tag, .SQ, .sequence([]), offset: start, valueOffset: valueStart, undefinedLength: true)
                }
                let items = try parseSequence(tag: tag, end: nil, limit: limit, depth: depth + 1, syntax: inner, charset: charset)
                cursor.bigEndian = syntax.bigEndian
                return DataElement(tag, .SQ, .sequence(items), offset: start, valueOffset: valueStart, undefinedLength: true)
            }
            throw error(.invalidLength, "undefined length (FFFFFFFF) on an element of VR \(vr.rawValue); only SQ, UN and encapsulated Pixel Data may have it",
                        at: start, tag)
        }
        let n = Int(length)
        let room = limit - valueStart
        guard n <= room else {
            let container = limit == cursor.size ? "file" : "enclosing item"
            throw error(.invalidLength, "declared length \(n) exceeds the \(max(room, 0)) bytes left in the \(container)", at: start, tag)
        }
        if n & 1 == 1 {
            if options.strict { throw error(.invalidLength, "odd value length \(n); DICOM values have even length", at: start, tag) }
            warn("odd value length \(n); DICOM values have even length", offset: start, tag: tag)
        }
        if vr == .SQ && !discard {
            if depth == 0, let mapping, mapping.tag == tag {
                try mapping.parseItems(self, tag: tag, start: valueStart, end: valueStart + n, limit: limit, depth: depth + 1, syntax: syntax, charset: charset)
                cursor.bigEndian = syntax.bigEndian
                return DataElement(tag, .SQ, .sequence([]), offset: start, valueOffset: valueStart)
            }
            let items = try parseItemsInParallel(tag: tag, start: valueStart, end: valueStart + n, depth: depth + 1,
                                                 syntax: syntax, charset: charset, transform: { $0 })
                ?? parseSequence(tag: tag, end: valueStart + n, limit: limit, depth: depth + 1, syntax: syntax, charset: charset)
            cursor.bigEndian = syntax.bigEndian
            return DataElement(tag, .SQ, .sequence(items), offset: start, valueOffset: valueStart)
        }
        if discard || (vr.isBulk && n > (options.bulkDataThreshold ?? Int.max)) {
            try context(start, tag) { try cursor.skip(n) }
            return DataElement(tag, vr, .notLoaded(length: n), offset: start, valueOffset: valueStart)
        }
        var bytes = try context(start, tag) { try cursor.bytes(n) }
        if syntax.bigEndian { swapToLittleEndian(&bytes, unit: vr.byteOrderUnit) }
        return DataElement(tag, vr, .bytes(bytes), offset: start, valueOffset: valueStart)
    }

    // MARK: Sequences and fragments

    /// `end` is the declared end of a defined-length sequence; `limit` the end of its container.
    private func parseSequence(tag: Tag, end declaredEnd: Int?, limit: Int, depth: Int, syntax: Syntax,
                               charset: SpecificCharacterSet) throws -> [DataSet] {
        try parseSequence(tag: tag, end: declaredEnd, limit: limit, depth: depth, syntax: syntax, charset: charset, transform: { $0 })
    }

    /// Each item goes through `transform` as soon as it is parsed.
    func parseSequence<T>(tag: Tag, end declaredEnd: Int?, limit: Int, depth: Int, syntax: Syntax,
                                  charset: SpecificCharacterSet, transform: (DataSet) -> T) throws -> [T] {
        var end = declaredEnd
        guard depth <= options.maxDepth else {
            throw error(.tooDeep, "sequences nested deeper than \(options.maxDepth) levels", at: cursor.pos, tag)
        }
        cursor.bigEndian = syntax.bigEndian
        var items: [T] = []
        while true {
            if let end, cursor.pos >= end { break }
            let start = cursor.pos
            guard start < limit else {
                throw error(.truncated, "sequence of undefined length has no sequence delimiter (FFFE,E0DD) before the end of its container",
                            at: start, tag)
            }
            let (itemTag, length) = try context(start, tag) { (Tag(try cursor.u16(), try cursor.u16()), try cursor.u32()) }
            if itemTag == .sequenceDelimitation {
                if end != nil { warn("sequence delimiter inside a sequence of defined length", offset: start, tag: tag) }
                break
            }
            guard itemTag == .item else {
                throw error(.invalidEncoding, "expected an item (FFFE,E000) in the sequence, found \(itemTag)", at: start, tag)
            }
            let item: DataSet
            if length == Self.undefinedLength {
                (item, _) = try parseDataSet(end: nil, depth: depth, syntax: syntax, charset: charset, inUndefinedItem: true)
            } else {
                var itemEnd = cursor.pos + Int(length)
                if itemEnd > limit {
                    guard !options.strict, limit > cursor.pos else {
                        throw error(.invalidLength, "item length \(length) exceeds the \(limit - cursor.pos) bytes left", at: start, tag)
                    }
                    // Lenient readers (ls, verify) read what the item holds up to its container's
                    // end, as dcmdump and pydicom do, and report the damage.
                    warn("item length \(length) exceeds the \(limit - cursor.pos) bytes left; the item was read to the end of its container",
                         offset: start, tag: tag, damage: true)
                    itemEnd = limit
                }
                if let e = end, itemEnd > e {
                    // Writers have been seen to under-count a sequence; the item itself is intact.
                    warn("item runs \(itemEnd - e) bytes past the sequence's declared length; sequence read to the item's end",
                         offset: start, tag: tag)
                    end = itemEnd
                }
                (item, _) = try parseDataSet(end: itemEnd, depth: depth, syntax: syntax, charset: charset)
                cursor.seek(itemEnd)
            }
            cursor.bigEndian = syntax.bigEndian
            var placed = item
            placed.itemOffset = start
            items.append(transform(placed))
        }
        return items
    }

    private func parseFragments(tag: Tag, limit: Int) throws -> Value {
        var table: [UInt8]?
        var fragments: [[UInt8]] = []
        var skipped = 0
        let skipping = options.bulkDataThreshold != nil
        while true {
            let start = cursor.pos
            let (itemTag, length) = try context(start, tag) { (Tag(try cursor.u16(), try cursor.u16()), try cursor.u32()) }
            if itemTag == .sequenceDelimitation { break }
            guard itemTag == .item else {
                throw error(.invalidEncoding, "expected a fragment item (FFFE,E000) in encapsulated Pixel Data, found \(itemTag)", at: start, tag)
            }
            guard length != Self.undefinedLength else {
                throw error(.invalidLength, "fragment with undefined length in encapsulated Pixel Data", at: start, tag)
            }
            let n = Int(length)
            guard n <= limit - cursor.pos else {
                throw error(.invalidLength, "fragment length \(n) exceeds the \(limit - cursor.pos) bytes left", at: start, tag)
            }
            if skipping {
                try context(start, tag) { try cursor.skip(n) }
                skipped += n
                continue
            }
            let bytes = try context(start, tag) { try cursor.bytes(n) }
            if table == nil { table = bytes } else { fragments.append(bytes) }
        }
        if skipping { return .notLoaded(length: skipped) }
        return .fragments(EncapsulatedPixelData(basicOffsetTable: table ?? [], fragments: fragments))
    }
}

/// Reverses each `unit`-byte group so that big-endian values are stored little-endian.
func swapToLittleEndian(_ bytes: inout [UInt8], unit: Int) {
    guard unit > 1 else { return }
    var i = 0
    while i + unit <= bytes.count {
        var a = i, b = i + unit - 1
        while a < b { bytes.swapAt(a, b); a += 1; b -= 1 }
        i += unit
    }
}

/// A top-level sequence whose items are each handed to a function as soon as they are parsed
/// (in the worker that parsed them, for a long sequence) and only the results kept: see
/// `DICOMFile.read(source:path:options:mappingItemsOf:_:)`. A protocol, so that the parser
/// need not know the results' type and they are kept in an array of that type (no box per item).
protocol ItemMapping: AnyObject {
    var tag: Tag { get }
    /// Parses the sequence's items from the parser's cursor (`end`: the sequence's declared end,
    /// nil for undefined length), keeping what the function makes of each.
    func parseItems(_ parser: DataSetParser, tag: Tag, start: Int, end: Int?, limit: Int, depth: Int, syntax: Syntax,
                    charset: SpecificCharacterSet) throws
}

/// Owned by one read; its workers return their results to it, they never touch it.
final class MappedItems<T: Sendable>: ItemMapping {
    let tag: Tag
    let transform: @Sendable (DataSet) -> T
    var results: [T] = []

    init(tag: Tag, transform: @escaping @Sendable (DataSet) -> T) {
        self.tag = tag
        self.transform = transform
    }

    func parseItems(_ parser: DataSetParser, tag: Tag, start: Int, end: Int?, limit: Int, depth: Int, syntax: Syntax,
                    charset: SpecificCharacterSet) throws {
        if let end, let items = try parser.parseItemsInParallel(tag: tag, start: start, end: end, depth: depth, syntax: syntax,
                                                               charset: charset, transform: transform) {
            results += items
        } else {
            results += try parser.parseSequence(tag: tag, end: end, limit: limit, depth: depth, syntax: syntax, charset: charset, transform: transform)
        }
    }
}
