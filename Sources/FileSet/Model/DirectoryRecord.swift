import DICOM

/// One directory record of a DICOMDIR (PS3.3 §F.3.2.2): its type, its keys, the instance it
/// references (leaf records), and the records one level below it.
///
/// A value, like the tree it makes: a DICOMDIR read, built or merged can be handed to another
/// thread or kept as it was while a copy is changed, with no question of who else holds it.
/// Trees are edited in place through their arrays (`forEachLeaf`, `modify(at:)`).
public struct DirectoryRecord: Sendable {
    public var type: RecordType
    /// The record's keys. Records read from a DICOMDIR that are not kept encoded (all but
    /// regular leaves) also hold their (0004,xxxx) structure elements here; they are not keys,
    /// and the writer always rebuilds them.
    public var keys: DataSet {
        get {
            switch content {
            case .values(let keys, _): return keys
            case .encoded(let leaf): return leaf.keys
            }
        }
        set { content = .values(newValue, reference) }
    }
    public var reference: InstanceReference? {
        get {
            switch content {
            case .values(_, let reference): return reference
            case .encoded(let leaf): return leaf.reference
            }
        }
        set { content = .values(keys, newValue) }
    }
    /// (0004,1432), for PRIVATE records.
    public var privateRecordUID: String?
    /// (0004,1410): false for records marked inactive (0000H) by other writers.
    public var inUse = true
    public var children: [DirectoryRecord] = []
    /// Where the record's item starts in the DICOMDIR it was read from (nil for new records).
    public var offset: Int?
    /// The record type exactly as written, for types this reader does not know (retired ones).
    public var typeText: String

    /// Keys and reference as values, or, for the leaves a creator makes by the ten thousand
    /// and the regular leaves a reader reads, encoded (a few hundred bytes a record instead of
    /// a data set and five strings).
    /// Reading `keys` or `reference` of an encoded record decodes them; setting one stores values.
    enum Content: Sendable {
        /// Boxed: most records of a large directory are encoded leaves, and this case is large.
        indirect case values(DataSet, InstanceReference?)
        case encoded(EncodedLeaf)
    }
    private(set) var content: Content

    public init(type: RecordType, keys: DataSet = DataSet(), reference: InstanceReference? = nil) {
        self.type = type
        content = .values(keys, reference)
        typeText = type.rawValue
    }

    init(type: RecordType, encoded: EncodedLeaf) {
        self.type = type
        content = .encoded(encoded)
        typeText = type.rawValue
    }

    /// Places the referenced file: `path` is a "/"-separated File ID, already validated.
    mutating func setFileID(path: String) {
        switch content {
        case .encoded(var leaf):
            leaf.filePath = path
            content = .encoded(leaf)
        case .values(let keys, var reference):
            reference?.fileID = FileID(trusted: pathComponents(path))
            content = .values(keys, reference)
        }
    }

    /// Just these keys, without decoding the others of an encoded leaf (a check that needs one
    /// key of every leaf of a large set).
    public func keys(only tags: [Tag]) -> DataSet {
        switch content {
        case .encoded(let leaf): return leaf.keys(only: tags)
        case .values(let keys, _):
            return DataSet(sortedElements: keys.elements.filter { tags.contains($0.tag) || $0.tag == .specificCharacterSet },
                           characterSet: keys.characterSet)
        }
    }

    /// Whether the record references a file (a leaf), without decoding an encoded one.
    public var isLeaf: Bool {
        switch content {
        case .encoded: return true
        case .values(_, let reference): return reference != nil
        }
    }

    /// Whether a leaf's File ID has been placed (new leaves have none until then).
    var hasFileID: Bool {
        switch content {
        case .encoded(let leaf): return !leaf.filePath.isEmpty
        case .values(_, let reference): return !(reference?.fileID.components.isEmpty ?? true)
        }
    }

    /// A leaf's SOP Instance UID, read from an encoded leaf without decoding the rest.
    var leafSOPInstanceUID: String? {
        switch content {
        case .encoded(let leaf): return String(decoding: leaf.sopInstanceUID, as: UTF8.self)
        case .values(_, let reference): return reference?.sopInstanceUID
        }
    }

    /// Records of this subtree in depth-first order, this one first.
    public func preorder() -> [DirectoryRecord] {
        var out: [DirectoryRecord] = []
        var stack: [DirectoryRecord] = [self]
        while let r = stack.popLast() {
            out.append(r)
            stack.append(contentsOf: r.children.reversed())
        }
        return out
    }

    /// Calls `body` with every record of this subtree, depth first, this one first, without
    /// copying the tree.
    public func forEach(_ body: (DirectoryRecord) throws -> Void) rethrows {
        try body(self)
        for c in children { try c.forEach(body) }
    }

    /// How many records of each type these and their descendants hold. Reads each record's
    /// type in place: `forEach` hands out copies, a retain per reference a record holds, which
    /// on a 75,000-instance directory took about 1% of a create's CPU (one perf profile) on
    /// its one serial thread.
    public static func countByType(_ records: [DirectoryRecord]) -> [RecordType: Int] {
        var counts: [RecordType: Int] = [:]
        func add(_ records: [DirectoryRecord]) {
            for i in records.indices {
                counts[records[i].type, default: 0] += 1
                if !records[i].children.isEmpty { add(records[i].children) }
            }
        }
        add(records)
        return counts
    }

    /// Changes this record and every one below it, in place, depth first.
    public mutating func modifyAll(_ body: (inout DirectoryRecord) throws -> Void) rethrows {
        try body(&self)
        for i in children.indices { try children[i].modifyAll(body) }
    }

    /// Changes the record at `path` (child indices below this one) in place.
    public mutating func modify(at path: ArraySlice<Int>, _ body: (inout DirectoryRecord) -> Void) {
        guard let first = path.first else { return body(&self) }
        children[first].modify(at: path.dropFirst(), body)
    }

    /// Changes the first record of `records` (and their subtrees, depth first) that `matches`;
    /// false when none does.
    @discardableResult
    public static func modifyFirst(in records: inout [DirectoryRecord], where matches: (DirectoryRecord) -> Bool,
                                   _ body: (inout DirectoryRecord) -> Void) -> Bool {
        for i in records.indices {
            if matches(records[i]) { body(&records[i]); return true }
            if modifyFirst(in: &records[i].children, where: matches, body) { return true }
        }
        return false
    }

    /// Calls `body` on every leaf of `records` and their subtrees, depth first (record order),
    /// in place.
    public static func forEachLeaf(in records: inout [DirectoryRecord], _ body: (inout DirectoryRecord) throws -> Void) rethrows {
        for i in records.indices {
            if records[i].isLeaf { try body(&records[i]) }
            if !records[i].children.isEmpty { try forEachLeaf(in: &records[i].children, body) }
        }
    }

    /// The index paths of the leaves of `records` and their subtrees, in record order.
    public static func leafPaths(_ records: [DirectoryRecord], below prefix: [Int] = []) -> [[Int]] {
        var out: [[Int]] = []
        for (i, r) in records.enumerated() {
            if r.isLeaf { out.append(prefix + [i]) }
            if !r.children.isEmpty { out += leafPaths(r.children, below: prefix + [i]) }
        }
        return out
    }
}

extension Array where Element == DirectoryRecord {
    /// Changes the record at `path` (an index into this array, then child indices) in place.
    public mutating func modify(at path: [Int], _ body: (inout DirectoryRecord) -> Void) {
        guard let first = path.first else { return }
        self[first].modify(at: path.dropFirst(), body)
    }
}

/// What a leaf record says of the file it references: (0004,1500) and (0004,1510–151A).
public struct InstanceReference: Sendable, Hashable {
    public var fileID: FileID
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var transferSyntaxUID: String
    public var relatedGeneralSOPClassUID: String?

    public init(fileID: FileID, sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
                relatedGeneralSOPClassUID: String? = nil) {
        self.fileID = fileID
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntaxUID = transferSyntaxUID
        self.relatedGeneralSOPClassUID = relatedGeneralSOPClassUID
    }
}

/// A leaf record's item after its File ID, encoded by a scan worker: (0004,1510), (0004,1511),
/// (0004,1512), (0004,151A) and then the keys, Explicit VR Little Endian, in tag order. The
/// writer copies it behind the structure elements and (0004,1500); only the File ID, decided
/// after every file has been seen, is kept apart.
struct EncodedLeaf: Sendable, Equatable {
    /// The File ID, "/"-separated ("" until placed).
    var filePath: String
    let tail: [UInt8]

    init(filePath: String = "", sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
         relatedGeneralSOPClassUID: String?, keys: DataSet, encoder: DataSetEncoder) throws {
        // Sized first (sequence keys aside, which only encoding measures), so the tail is
        // written once into storage of its exact size.
        func text(_ s: String?) -> Int { s.map { DataSetEncoder.explicitTextSize($0.utf8.count) } ?? 0 }
        var size: Int? = text(sopClassUID) + text(sopInstanceUID) + text(transferSyntaxUID) + text(relatedGeneralSOPClassUID)
        for e in keys.elements where e.tag.group > 0x0004 {
            guard let n = DataSetEncoder.explicitSize(of: e) else { size = nil; break }
            size? += n
        }
        var w = ByteWriter(capacity: size ?? 256)
        Self.writeReference(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntaxUID: transferSyntaxUID,
                            relatedGeneralSOPClassUID: relatedGeneralSOPClassUID, into: &w)
        for e in keys.elements where e.tag.group > 0x0004 { try encoder.encode(e, into: &w) }
        self.filePath = filePath
        tail = size == w.count ? w.bytes : w.exactBytes
    }

    /// (0004,1510)–(0004,151A): UIDs, each padded to even length with NUL (PS3.5 §6.2).
    static func writeReference(sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
                               relatedGeneralSOPClassUID: String?, into w: inout ByteWriter) {
        w.text(.referencedSOPClassUIDInFile, .UI, sopClassUID)
        w.text(.referencedSOPInstanceUIDInFile, .UI, sopInstanceUID)
        w.text(.referencedTransferSyntaxUIDInFile, .UI, transferSyntaxUID)
        if let related = relatedGeneralSOPClassUID { w.text(.referencedRelatedGeneralSOPClassUIDInFile, .UI, related) }
    }

    /// The tail as elements (decoding cannot fail on what `init` wrote; an empty set if it did).
    private var elements: DataSet { (try? DataSet.decode(explicitLittleEndian: tail)) ?? DataSet() }

    var keys: DataSet {
        let all = elements
        return DataSet(sortedElements: all.elements.filter { $0.tag.group > 0x0004 }, characterSet: all.characterSet)
    }

    /// Read from the tail in place: a verify asks every leaf of a large set for it, and
    /// decoding the whole tail each time made its record checks about half as slow again
    /// (single timed runs).
    var reference: InstanceReference {
        func uid(_ tag: Tag) -> String? {
            guard let (_, value) = find(tag) else { return nil }
            var v = value
            while let last = v.last, last == 0 || last == 0x20 { v = v.dropLast() }
            return String(decoding: v, as: UTF8.self)
        }
        return InstanceReference(fileID: FileID(trusted: pathComponents(filePath)),
                                 sopClassUID: uid(.referencedSOPClassUIDInFile) ?? "",
                                 sopInstanceUID: uid(.referencedSOPInstanceUIDInFile) ?? "",
                                 transferSyntaxUID: uid(.referencedTransferSyntaxUIDInFile) ?? "",
                                 relatedGeneralSOPClassUID: uid(.referencedRelatedGeneralSOPClassUIDInFile))
    }

    /// Only these keys (and the Specific Character Set, which decoding their text needs),
    /// found in the tail without decoding the others.
    func keys(only tags: [Tag]) -> DataSet {
        var elements: [DataElement] = []
        for tag in ([Tag.specificCharacterSet] + tags).sorted() where elements.last?.tag != tag {
            if let (vr, value) = find(tag) { elements.append(DataElement(tag, vr, bytes: Array(value))) }
        }
        let charset = elements.first { $0.tag == .specificCharacterSet }.map { SpecificCharacterSet(String(decoding: $0.bytes ?? [], as: UTF8.self)) }
        return DataSet(sortedElements: elements, characterSet: charset ?? .default)
    }

    /// The VR and value of the top-level element `tag`, by walking the element headers (the
    /// tail is Explicit VR Little Endian with defined lengths, as `init` wrote it).
    private func find(_ tag: Tag) -> (VR, ArraySlice<UInt8>)? {
        var at = 0
        while at + 8 <= tail.count {
            let here = Tag(UInt16(tail[at]) | UInt16(tail[at + 1]) << 8, UInt16(tail[at + 2]) | UInt16(tail[at + 3]) << 8)
            guard let vr = VR(tail[at + 4], tail[at + 5]) else { return nil }
            var length = Int(tail[at + 6]) | Int(tail[at + 7]) << 8, start = at + 8
            if vr.hasLongLength {
                guard at + 12 <= tail.count else { return nil }
                length = Int(tail[at + 8]) | Int(tail[at + 9]) << 8 | Int(tail[at + 10]) << 16 | Int(tail[at + 11]) << 24
                start = at + 12
            }
            guard length != 0xFFFF_FFFF, start + length <= tail.count else { return nil }
            if here == tag { return (vr, tail[start..<(start + length)]) }
            if here > tag { return nil }
            at = start + length
        }
        return nil
    }

    /// The SOP Instance UID's bytes, without padding: leaves sort by it without decoding.
    var sopInstanceUID: ArraySlice<UInt8> {
        // (0004,1510) header and value, then (0004,1511)'s 8-byte header: lengths at +6 each.
        guard tail.count >= 8 else { return [] }
        let first = Int(tail[6]) | Int(tail[7]) << 8
        let at = 8 + first
        guard tail.count >= at + 8 else { return [] }
        let length = Int(tail[at + 6]) | Int(tail[at + 7]) << 8
        var end = min(tail.count, at + 8 + length)
        while end > at + 8 && tail[end - 1] == 0 { end -= 1 }
        return tail[(at + 8)..<end]
    }
}

extension ByteWriter {
    /// A short-form element whose value is `s`, padded to even length with the VR's padding byte.
    mutating func text(_ tag: Tag, _ vr: VR, _ s: String) {
        let n = s.utf8.count
        self.tag(tag)
        let (a, b) = vr.letters
        u8(a); u8(b)
        u16(UInt16(n + (n & 1)))
        append(utf8: s)
        if n & 1 == 1 { u8(vr.paddingByte) }
    }
}
