import DICOM

/// A Basic Directory (PS3.3 Annex F) in memory: File-set identification and the record tree.
public struct DICOMDIR: Sendable {
    public static let sopClassUID = "1.2.840.10008.1.3.10"

    /// (0004,1130), 0–16 characters; Type 2, so written even when empty.
    public var fileSetID: String
    /// The DICOMDIR's (0002,0003); assigned once by the creator, never changed by updaters.
    public var fileSetUID: String
    public var descriptorFileID: FileID?
    public var descriptorCharacterSet: String?
    public var roots: [DirectoryRecord]
    /// Inactive records ((0004,1410) = 0000H, as dcm4che leaves deleted ones) with the active
    /// record they stood under, named by the offset of its item in the DICOMDIR read (nil: the
    /// root). They are not part of `roots` — readers, listings and checks never see them — but
    /// an update writes them back where they were, so it changes nothing it was not asked to
    /// (`remove --compact` drops them; they go with a parent that is removed).
    public var inactive: [(parent: Int?, records: [DirectoryRecord])] = []

    public init(fileSetID: String, fileSetUID: String, roots: [DirectoryRecord] = []) {
        self.fileSetID = fileSetID
        self.fileSetUID = fileSetUID
        self.roots = roots
    }

    public var allRecords: [DirectoryRecord] { roots.flatMap { $0.preorder() } }

    /// Calls `body` with every record, depth first, without copying the tree.
    public func forEachRecord(_ body: (DirectoryRecord) throws -> Void) rethrows {
        for r in roots { try r.forEach(body) }
    }
}

/// Encodes a DICOMDIR: records in depth-first order, each item beginning with (0004,1400),
/// (0004,1410), (0004,1420), every offset counted from byte 0 of the file, defined lengths.
public struct DICOMDIRWriter: Sendable {
    public var encoder = DataSetEncoder()
    /// Write the record sequence and its items with undefined lengths and delimiters, as
    /// dcm4che does (defined lengths are the default and what most readers expect).
    public var undefinedLengths = false

    public init(undefinedLengths: Bool = false) {
        self.undefinedLengths = undefinedLengths
        if undefinedLengths { encoder = DataSetEncoder(sequenceLength: .undefined, itemLength: .undefined) }
    }

    public func encode(_ dir: DICOMDIR) throws -> [UInt8] {
        guard dir.inactive.isEmpty else {
            // Inactive records go back under the parents they had (after the active children),
            // in a copy for this encoding; those whose parent is gone are not written.
            var spliced = dir
            spliced.inactive = []
            for (parent, records) in dir.inactive {
                if let parent {
                    DirectoryRecord.modifyFirst(in: &spliced.roots, where: { $0.offset == parent }) { $0.children += records }
                } else {
                    spliced.roots += records
                }
            }
            return try encode(spliced)
        }
        let meta = Part10Writer.meta(sopClassUID: DICOMDIR.sopClassUID, sopInstanceUID: dir.fileSetUID,
                                     transferSyntax: .explicitVRLittleEndian)
        let header = try Part10Writer.encode(DataSet(), meta: meta, transferSyntax: .explicitVRLittleEndian)
        let base = header.count

        var top = DataSet()
        top.set(.fileSetID, .CS, dir.fileSetID.isEmpty ? [String]() : [dir.fileSetID])
        if let d = dir.descriptorFileID { top.set(.fileSetDescriptorFileID, .CS, d.components) }
        if let c = dir.descriptorCharacterSet { top.set(.specificCharacterSetOfFileSetDescriptorFile, .CS, c) }
        top.set(.offsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, .UL, numbers: [0])
        top.set(.offsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, .UL, numbers: [0])
        top.set(.fileSetConsistencyFlag, .US, numbers: [0])

        var w = ByteWriter(capacity: 1 << 16)
        w.append(header)
        try encoder.encode(top, into: &w)
        // The first/last root offsets are the 4-byte values of the two UL elements written above.
        let firstRootAt = base + (top.elements.firstIndex { $0.tag == .offsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity }
            .map { i in top.elements[..<i].reduce(0) { $0 + (DataSetEncoder.explicitSize(of: $1) ?? 0) } } ?? 0) + 8
        let lastRootAt = firstRootAt + 12

        // Directory Record Sequence, defined length patched at the end.
        w.tag(.directoryRecordSequence); w.append(Array("SQ".utf8)); w.u16(0); w.u32(0)
        let sequenceLengthAt = w.count - 4
        let sequenceStart = w.count
        // Every item's size is known before any is written (computed from its values, or, for
        // records whose keys hold sequences, by encoding it once); the items are then encoded on
        // all cores straight into their places in one buffer: the DICOMDIR is never held twice.
        var order = DepthFirst()
        let lastRoot = order.visit(dir.roots)
        let records = order
        let planned = parallelMap(records.count) { i -> PlannedItem in
            if let size = itemSize(records[i]) { return .size(size) }
            var part = ByteWriter(capacity: 512)
            do { try writeItem(records[i], into: &part) } catch { return .failed(error) }
            return .encoded(part.bytes)
        }
        var itemOffsets: [Int] = []   // by position in `records` (depth-first order)
        itemOffsets.reserveCapacity(records.count)
        var end = w.count
        for plan in planned {
            itemOffsets.append(end)
            switch plan {
            case .size(let n): end += n
            case .encoded(let bytes): end += bytes.count
            case .failed(let error): throw error
            }
        }
        let itemsStart = w.count
        // The whole file in one allocation: what is written so far, then room for the items,
        // left unset here: every byte of it is written below before the array is used (it is
        // dropped if any item fails), so the pages are first touched by the writers, in parallel.
        var bytes = w.bytes.withUnsafeBufferPointer { head in
            [UInt8](unsafeUninitializedCapacity: end) { buffer, n in
                guard let to = buffer.baseAddress else { return }
                if let from = head.baseAddress { to.initialize(from: from, count: itemsStart) }
                n = end
            }
        }
        let runs = max(1, min(64, records.count / 512))
        let perRun = (records.count + runs - 1) / runs
        // Item layout: item header (8), (0004,1400) UL header (8) + value (4), (0004,1410) US (8 + 2),
        // (0004,1420) UL header (8) + value: the two offsets are stored at +16 and +38 of each
        // item once it is in place.
        let (next, lower) = (order.next, order.lower)
        let failures = bytes.withUnsafeMutableBytes { buffer -> [Error] in
            guard let base = buffer.baseAddress else { return [] }
            let target = UnsafeSendablePointer(base)
            return parallelMap(runs) { [itemOffsets] run -> Error? in
                var part = ByteWriter(capacity: 1024)
                for i in min(records.count, run * perRun)..<min(records.count, (run + 1) * perRun) {
                    let at = target.base.advanced(by: itemOffsets[i])
                    let item: [UInt8]
                    switch planned[i] {
                    case .encoded(let ready):
                        item = ready
                    case .size(let expected):
                        part.removeAll()
                        do { try writeItem(records[i], into: &part) } catch { return error }
                        guard part.count == expected else {
                            return DICOMError(.unsupported, "directory record \(i) encodes to \(part.count) bytes, its size was computed as \(expected)")
                        }
                        item = part.bytes
                    case .failed(let error):
                        return error   // (thrown above already)
                    }
                    item.withUnsafeBytes { src in
                        if let from = src.baseAddress { at.copyMemory(from: from, byteCount: src.count) }
                    }
                    at.storeBytes(of: UInt32(next[i] < 0 ? 0 : itemOffsets[next[i]]).littleEndian, toByteOffset: 16, as: UInt32.self)
                    at.storeBytes(of: UInt32(lower[i] < 0 ? 0 : itemOffsets[lower[i]]).littleEndian, toByteOffset: 38, as: UInt32.self)
                }
                return nil
            }.compactMap { $0 }
        }
        if let first = failures.first { throw first }
        w = ByteWriter(adopting: bytes)
        bytes = []
        if undefinedLengths {
            w.patchU32(at: sequenceLengthAt, 0xFFFF_FFFF)
            w.tag(.sequenceDelimitationItem); w.u32(0)
        } else {
            w.patchU32(at: sequenceLengthAt, UInt32(w.count - sequenceStart))
        }

        let rootOffsets = dir.roots.isEmpty ? (0, 0) : (itemOffsets[0], itemOffsets[lastRoot])
        w.patchU32(at: firstRootAt, UInt32(rootOffsets.0))
        w.patchU32(at: lastRootAt, UInt32(rootOffsets.1))
        return w.bytes
    }

    /// The encoded size of a record's item, as `writeItem` writes it; nil when a key is not a
    /// plain value (a sequence), whose size only encoding tells.
    func itemSize(_ record: DirectoryRecord) -> Int? {
        let text = DataSetEncoder.explicitTextSize
        var size = 8 + 12 + 10 + 12 + text(record.typeText.utf8.count)
        if let uid = record.privateRecordUID { size += text(uid.utf8.count) }
        if case .encoded(let leaf) = record.content, !undefinedLengths {
            return size + text(leaf.filePath.utf8.count) + leaf.tail.count
        }
        if let ref = record.reference {
            let components = ref.fileID.components
            size += text(components.reduce(max(0, components.count - 1)) { $0 + $1.utf8.count })
            size += text(ref.sopClassUID.utf8.count) + text(ref.sopInstanceUID.utf8.count) + text(ref.transferSyntaxUID.utf8.count)
            if let related = ref.relatedGeneralSOPClassUID { size += text(related.utf8.count) }
        }
        for e in record.keys.elements where e.tag.group > 0x0004 {
            guard let n = DataSetEncoder.explicitSize(of: e) else { return nil }
            size += n
        }
        return size + (undefinedLengths ? 8 : 0)
    }

    /// Writes a record's item: structure elements first, in the fixed layout the offsets rely
    /// on, written directly (this runs once per record of a possibly huge directory), then keys.
    func writeItem(_ record: DirectoryRecord, into w: inout ByteWriter) throws {
        w.tag(.item)
        w.u32(0)
        let lengthAt = w.count - 4
        let start = w.count
        func header(_ tag: Tag, _ vr: VR, _ length: Int) {
            w.tag(tag)
            let (a, b) = vr.letters
            w.u8(a); w.u8(b)
            w.u16(UInt16(length))
        }
        header(.offsetOfTheNextDirectoryRecord, .UL, 4); w.u32(0)
        header(.recordInUseFlag, .US, 2); w.u16(record.inUse ? 0xFFFF : 0)
        header(.offsetOfReferencedLowerLevelDirectoryEntity, .UL, 4); w.u32(0)
        w.text(.directoryRecordType, .CS, record.typeText)
        if let uid = record.privateRecordUID { w.text(.privateRecordUID, .UI, uid) }
        if case .encoded(let leaf) = record.content, !undefinedLengths {
            // The File ID as (0004,1500) wants it (backslashes), then the worker-encoded rest.
            let at = w.count
            w.text(.referencedFileID, .CS, leaf.filePath)
            w.replace(0x2F, with: 0x5C, from: at + 8)
            w.append(leaf.tail)
        } else {
            if let ref = record.reference {
                w.text(.referencedFileID, .CS, ref.fileID.dicomValue)
                EncodedLeaf.writeReference(sopClassUID: ref.sopClassUID, sopInstanceUID: ref.sopInstanceUID,
                                           transferSyntaxUID: ref.transferSyntaxUID,
                                           relatedGeneralSOPClassUID: ref.relatedGeneralSOPClassUID, into: &w)
            }
            for e in record.keys.elements where e.tag.group > 0x0004 { try encoder.encode(e, into: &w) }
        }
        if undefinedLengths {
            w.patchU32(at: lengthAt, 0xFFFF_FFFF)
            w.tag(.itemDelimitationItem); w.u32(0)
        } else {
            w.patchU32(at: lengthAt, UInt32(w.count - start))
        }
    }
}

/// The records in depth-first order (the order of their items) and, for each, the position of
/// its next sibling and of its first child (-1: none): what (0004,1400) and (0004,1420) point at.
/// Records are not copied out of the tree: each array of siblings is kept once (`runs`), and
/// item i is record `slot[i]` of run `run[i]`.
private struct DepthFirst: Sendable {
    var runs: [[DirectoryRecord]] = []
    var run: [Int32] = []
    var slot: [Int32] = []
    var next: [Int] = []
    var lower: [Int] = []

    var count: Int { run.count }

    /// Item i's record, borrowed from the tree.
    subscript(i: Int) -> DirectoryRecord {
        _read { yield runs[Int(run[i])][Int(slot[i])] }
    }

    /// Visits `siblings` and their subtrees; returns the last sibling's position (-1: none).
    mutating func visit(_ siblings: [DirectoryRecord]) -> Int {
        let r = Int32(runs.count)
        runs.append(siblings)
        var previous = -1
        for k in siblings.indices {
            let i = run.count
            run.append(r)
            slot.append(Int32(k))
            next.append(-1)
            lower.append(-1)
            if previous >= 0 { next[previous] = i }
            previous = i
            if !siblings[k].children.isEmpty {
                lower[i] = i + 1
                _ = visit(siblings[k].children)
            }
        }
        return previous
    }
}

/// An item's size, or (for records whose keys hold sequences) the item itself.
private enum PlannedItem {
    case size(Int)
    case encoded([UInt8])
    case failed(Error)
}

/// A buffer's base address handed to the workers that fill disjoint parts of it.
/// `@unchecked Sendable`: the buffer outlives the workers, and no two write the same bytes.
private struct UnsafeSendablePointer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    init(_ base: UnsafeMutableRawPointer) { self.base = base }
}
