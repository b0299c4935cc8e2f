import DICOM

/// File-set Reader (PS3.10 §8.3): reads any DICOMDIR, ours or another writer's, and rebuilds its
/// record tree by following the offsets, tolerantly. Everything irregular becomes a finding;
/// reading goes on wherever the tree can still be recovered. Never writes.
public enum DICOMDIRReader {
    public struct Result {
        public var dicomdir: DICOMDIR
        public var findings: [Finding]
        /// Records marked inactive ((0004,1410) = 0000H, and everything below them), skipped.
        public var inactiveRecords: Int
        /// Files referenced only by inactive records (dcm4che deactivates instead of deleting).
        public var inactiveFileIDs: [FileID] = []
        /// The DICOMDIR as read, for checks that need its meta information or elements. Its
        /// Directory Record Sequence is left empty (the records are in `dicomdir`): the parsed
        /// items of a large file-set took as much memory again as its records.
        public var file: DICOMFile
        /// The structure elements of PS3.3 Table F.3-3 missing from items: where, and which.
        public var missingItemElements: [(offset: Int?, tag: Tag)] = []
        /// Its name in the storage ("DICOMDIR", or "dicomdir" on a disc shown in lower case).
        public var name = "DICOMDIR"

        public init(dicomdir: DICOMDIR, findings: [Finding], inactiveRecords: Int, inactiveFileIDs: [FileID], file: DICOMFile) {
            self.dicomdir = dicomdir
            self.findings = findings
            self.inactiveRecords = inactiveRecords
            self.inactiveFileIDs = inactiveFileIDs
            self.file = file
        }
    }

    /// Reads `path`: a DICOMDIR file, or a folder holding one.
    public static func read(path: String) throws -> Result {
        guard FileOps.exists(path) else { throw FileSetError.unusableInput("\(SystemPath.display(path)): no such file or folder") }
        if FileOps.isDirectory(path) { return try read(storage: FolderStorage(root: path)) }
        return try read(storage: FolderStorage(root: directoryName(path)), name: lastComponent(path))
    }

    /// Reads the DICOMDIR at the root of `storage` (a folder, a disc image, a drive).
    public static func read(storage: FileSetStorage, name: String = "DICOMDIR") throws -> Result {
        var name = name
        var found: [Finding] = []
        if !storage.fileExists(name) {
            // A disc mounted without Rock Ridge (or read through Joliet) shows "dicomdir": found
            // the way referenced files are, with a warning.
            guard name == "DICOMDIR", let other = storage.entries(of: "").first(where: { $0.uppercased() == "DICOMDIR" }),
                  storage.fileExists(other) else {
                throw FileSetError.unusableInput("\(storage.location): no DICOMDIR (a file-set has one, at its root)")
            }
            found.append(Finding(.warning, .referenceCase, other, file: other,
                                 "the DICOMDIR is found only as \"\(other)\" (case differs, common on discs mounted on Linux)"))
            name = other
        }
        // Each record is made as soon as its item is parsed, and the item dropped: the parsed
        // items of a large file-set took about six times the DICOMDIR's size (one timed run).
        let file: DICOMFile, nodes: [Node]
        do {
            (file, nodes) = try DICOMFile.read(source: try storage.open(name), path: storage.display(name), options: readOptions,
                                               mappingItemsOf: .directoryRecordSequence, Node.init(item:))
        } catch let e as DICOMError {
            throw FileSetError.unusableInput("\(e.withFile(storage.display(name)))")
        } catch {
            throw FileSetError.unusableInput("\(error)")
        }
        var result = try read(file, nodes: nodes)
        result.findings = found + result.findings
        result.name = name
        return result
    }

    /// Reads a DICOMDIR held in memory (one just encoded, say).
    public static func read(bytes: [UInt8]) throws -> Result {
        let (file, nodes) = try DICOMFile.read(source: MemoryByteSource(bytes), path: "DICOMDIR", options: readOptions,
                                               mappingItemsOf: .directoryRecordSequence, Node.init(item:))
        return try read(file, nodes: nodes)
    }

    /// Reads a DICOMDIR parsed whole.
    public static func read(_ file: DICOMFile) throws -> Result {
        try read(file, nodes: file.dataSet.sequence(.directoryRecordSequence)?.map(Node.init(item:)) ?? [])
    }

    static let readOptions = ReadOptions(bulkDataThreshold: 1 << 16)

    /// `nodes`: the records and links of the items of the Directory Record Sequence, in file order.
    private static func read(_ file: DICOMFile, nodes: [Node]) throws -> Result {
        var findings: [Finding] = file.warnings.map {
            $0.damage ? Finding(.error, .dicomdirDamaged, "DICOMDIR", $0.description, file: "DICOMDIR", offset: $0.offset, tag: $0.tag)
                : Finding(.warning, .dicomdirParseWarning, "DICOMDIR", $0.description, file: "DICOMDIR", offset: $0.offset, tag: $0.tag)
        }
        let ds = file.dataSet
        guard ds.sequence(.directoryRecordSequence) != nil else {
            throw FileSetError.unusableInput("\(file.path ?? "DICOMDIR"): not a DICOMDIR: no Directory Record Sequence (0004,1220)")
        }
        // The offsets are followed serially, over records made as the items were parsed.
        let byOffset = OffsetIndex(nodes)

        var inactive = 0
        var inactiveFiles: [FileID] = []
        var inactiveTrees: [Int: (parent: Int?, records: [DirectoryRecord])] = [:]   // by the active parent's offset (-1: root)
        var inactiveOrder: [Int] = []
        var visited = [Bool](repeating: false, count: nodes.count)
        /// Follows a chain of sibling records from `offset`, recursing into children. Records
        /// below an inactive one count as inactive too (dcm4che deactivates whole subtrees).
        /// `via` names where the offset being followed is held: the header's (0004,1200), a
        /// record's (0004,1420) for its children, the previous sibling's (0004,1400).
        func chain(from offset: Int, parent: RecordType?, depth: Int, active: Bool = true, owner: Int? = nil,
                   via first: (holder: String, at: Int?, tag: Tag) = ("the header", nil, .offsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity)) -> [DirectoryRecord] {
            var out: [DirectoryRecord] = []
            var next = offset
            var via = first
            while next != 0 {
                let element = "\(via.tag) \(DataDictionary.keyword(for: via.tag))"
                guard let i = byOffset[next] else {
                    findings.append(Finding(.error, .offsetDangling, via.holder, file: "DICOMDIR", offset: via.at, tag: via.tag,
                                            "\(element) is \(next), which points at no directory record (PS3.3 F.3.2.2: offsets point at the first byte of a record's item)"))
                    break
                }
                guard !visited[i] else {
                    let kind = via.tag == .offsetOfReferencedLowerLevelDirectoryEntity ? "a record's children lead back to" : "a chain of siblings leads back to"
                    findings.append(Finding(.error, .offsetCycle, via.holder, file: "DICOMDIR", offset: via.at, tag: via.tag,
                                            "\(element) is \(next): \(kind) the \(describe(nodes[i].record)), reached before; the offsets form a cycle"))
                    break
                }
                visited[i] = true
                let node = nodes[i]
                var record = node.record
                if !active || node.markedInactive {
                    inactive += 1
                    if let ref = record.reference { inactiveFiles.append(ref.fileID) }
                    record.inUse = false
                    if node.lower != 0 && depth <= 16 {
                        record.children = chain(from: node.lower, parent: record.type, depth: depth + 1, active: false,
                                                via: (describe(record), record.offset, .offsetOfReferencedLowerLevelDirectoryEntity))
                    }
                    if active {
                        // The top of an inactive subtree: kept beside its active parent.
                        let key = owner ?? -1
                        if inactiveTrees[key] == nil { inactiveOrder.append(key) }
                        inactiveTrees[key, default: (owner, [])].records.append(record)
                    } else {
                        out.append(record)
                    }
                } else {
                    if depth > 16 {
                        findings.append(Finding(.error, .recordDepth, "record at byte \(next)", file: "DICOMDIR", offset: next, "records nested deeper than 16 levels"))
                        break
                    }
                    if !RecordType.allowedChildren(of: parent).contains(record.type) && RecordType(rawValue: record.typeText) != nil {
                        findings.append(Finding(.error, .recordPlacement, describe(record), file: "DICOMDIR", offset: record.offset, "a \(record.typeText) record may not be \(parent.map { "under a \($0.rawValue) record" } ?? "at the root") (PS3.3 Table F.4-1)"))
                    }
                    if node.lower != 0 {
                        record.children = chain(from: node.lower, parent: record.type, depth: depth + 1, owner: record.offset,
                                                via: (describe(record), record.offset, .offsetOfReferencedLowerLevelDirectoryEntity))
                    }
                    out.append(record)
                }
                via = (describe(record), record.offset, .offsetOfTheNextDirectoryRecord)
                next = node.next
            }
            return out
        }

        let declaredFirst = ds.int(.offsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity)
        let first = declaredFirst ?? 0
        var roots = first == 0 && nodes.isEmpty ? [] : chain(from: first, parent: nil, depth: 0)
        if first == 0 && !nodes.isEmpty {
            let what = declaredFirst == nil ? "(0004,1200) Offset of the First Directory Record of the Root Directory Entity is missing"
                : "(0004,1200) is 0"
            findings.append(Finding(.error, .rootMissing, "DICOMDIR", file: "DICOMDIR", tag: Tag(0x0004, 0x1200), "\(what) but there are \(nodes.count) records"))
        }
        if let last = ds.int(.offsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity), let lastRoot = lastRootOffset(first, nodes, byOffset),
           last != lastRoot {
            findings.append(Finding(.warning, .rootLast, "DICOMDIR", file: "DICOMDIR", tag: Tag(0x0004, 0x1202), "(0004,1202) is \(last) but the last root record is at byte \(lastRoot) (as some writers, e.g. GDCM, get wrong)"))
        }
        let unreached = nodes.indices.filter { !visited[$0] }.compactMap { nodes[$0].offset }
        if !unreached.isEmpty {
            findings.append(Finding(.error, .recordUnreachable, "DICOMDIR", file: "DICOMDIR", offset: unreached[0], "\(unreached.count) record\(unreached.count == 1 ? " is" : "s are") not reachable from the root (first at byte \(unreached[0]))"))
            // Recover what the links lose: rebuild those records by their order in the sequence.
            if roots.isEmpty { roots = rebuildBySequence(nodes) }
        }
        var dir = DICOMDIR(fileSetID: ds.string(.fileSetID) ?? "", fileSetUID: file.meta.string(.mediaStorageSOPInstanceUID) ?? "", roots: roots)
        dir.inactive = inactiveOrder.compactMap { inactiveTrees[$0] }
        if let d = ds.strings(.fileSetDescriptorFileID), !d.isEmpty { dir.descriptorFileID = FileID(trusted: d) }
        dir.descriptorCharacterSet = ds.string(.specificCharacterSetOfFileSetDescriptorFile)
        // The items are records now: the file keeps an empty sequence in their place.
        var kept = file
        if let sequence = ds[.directoryRecordSequence], sequence.items?.isEmpty == false {
            kept.dataSet.set(DataElement(.directoryRecordSequence, .SQ, .sequence([]), offset: sequence.offset,
                                         valueOffset: sequence.valueOffset, undefinedLength: sequence.hadUndefinedLength))
        }
        var result = Result(dicomdir: dir, findings: findings, inactiveRecords: inactive, inactiveFileIDs: inactiveFiles, file: kept)
        result.missingItemElements = nodes.flatMap { node in node.missing.map { (node.offset, $0) } }
        return result
    }

    /// Type 1 in every directory record (PS3.3 Table F.3-3), whatever a tolerant reader can do
    /// without them.
    static let structureTags: [Tag] = [.offsetOfTheNextDirectoryRecord, .recordInUseFlag, .offsetOfReferencedLowerLevelDirectoryEntity, .directoryRecordType]

    static func makeRecord(_ item: DataSet, offset: Int) -> DirectoryRecord {
        let typeText = item.string(.directoryRecordType) ?? ""
        let type = RecordType(rawValue: typeText) ?? .private
        var record: DirectoryRecord
        if let leaf = regularLeaf(item, type: type) {
            record = DirectoryRecord(type: type, encoded: leaf)
        } else {
            // The item itself serves as the keys: its (0004,xxxx) structure elements are skipped
            // by everything that reads keys, and the writer rebuilds them.
            record = DirectoryRecord(type: type, keys: item)
            if let components = item.strings(.referencedFileID), !components.isEmpty {
                record.reference = InstanceReference(fileID: FileID(trusted: components),
                                                     sopClassUID: item.string(.referencedSOPClassUIDInFile) ?? "",
                                                     sopInstanceUID: item.string(.referencedSOPInstanceUIDInFile) ?? "",
                                                     transferSyntaxUID: item.string(.referencedTransferSyntaxUIDInFile) ?? "",
                                                     relatedGeneralSOPClassUID: item.string(.referencedRelatedGeneralSOPClassUIDInFile))
            }
        }
        record.typeText = typeText
        record.offset = offset
        record.privateRecordUID = item.string(.privateRecordUID)
        record.inUse = item.int(.recordInUseFlag) != 0
        return record
    }

    /// A leaf record kept encoded, as a creator keeps its leaves (a few hundred bytes instead
    /// of a parsed item: a file-set has one per file), when nothing about it is irregular: its
    /// (0004,xxxx) elements are exactly those a writer makes, each well-formed — structure
    /// offsets of 4 bytes, a valid File ID, valid UIDs — so that leaving them out of `keys`
    /// hides nothing a check would report, and its keys encode. Anything else keeps the item
    /// as it was read, for the checks and findings of a tolerant reader.
    private static func regularLeaf(_ item: DataSet, type: RecordType) -> EncodedLeaf? {
        guard type.isLeaf, type != .private else { return nil }
        var sopClass: String?, sopInstance: String?, syntax: String?, related: String?   // decoded once
        for e in item.elements {
            guard e.tag.group <= 0x0004 else { break }
            guard let b = e.bytes else { return nil }
            switch e.tag {
            case .offsetOfTheNextDirectoryRecord, .offsetOfReferencedLowerLevelDirectoryEntity:
                guard e.vr == .UL, b.count == 4 else { return nil }
            case .recordInUseFlag:
                guard e.vr == .US, b.count == 2 else { return nil }
            case .directoryRecordType, .referencedFileID:
                guard e.vr == .CS else { return nil }
            case .referencedSOPClassUIDInFile, .referencedSOPInstanceUIDInFile, .referencedTransferSyntaxUIDInFile,
                 .referencedRelatedGeneralSOPClassUIDInFile:
                guard e.vr == .UI, let uid = item.string(e.tag), UIDRegistry.isValid(uid) else { return nil }
                switch e.tag {
                case .referencedSOPClassUIDInFile: sopClass = uid
                case .referencedSOPInstanceUIDInFile: sopInstance = uid
                case .referencedTransferSyntaxUIDInFile: syntax = uid
                default: related = uid
                }
            default:
                return nil
            }
        }
        guard let components = item.strings(.referencedFileID), FileID.violations(of: components).isEmpty,
              let sopClass, let sopInstance, let syntax else { return nil }
        return try? EncodedLeaf(filePath: components.joined(separator: "/"), sopClassUID: sopClass, sopInstanceUID: sopInstance,
                                transferSyntaxUID: syntax, relatedGeneralSOPClassUID: related,
                                keys: item, encoder: DataSetEncoder())
    }

    private static func lastRootOffset(_ first: Int, _ nodes: [Node], _ byOffset: OffsetIndex) -> Int? {
        var current = first, seen: Set<Int> = []
        while let i = byOffset[current], seen.insert(current).inserted {
            if nodes[i].next == 0 { return current }
            current = nodes[i].next
        }
        return nil
    }

    /// A record made from its item, with the item's links: all the reader keeps of an item.
    struct Node: Sendable {
        let record: DirectoryRecord
        /// Where the item starts.
        let offset: Int?
        /// (0004,1410) is 0000H.
        let markedInactive: Bool
        let lower: Int
        let next: Int
        /// Structure elements the item lacks (`structureTags`).
        let missing: [Tag]

        init(item: DataSet) {
            record = makeRecord(item, offset: item.itemOffset ?? 0)
            offset = item.itemOffset
            markedInactive = item.int(.recordInUseFlag) == 0
            lower = item.int(.offsetOfReferencedLowerLevelDirectoryEntity) ?? 0
            next = item.int(.offsetOfTheNextDirectoryRecord) ?? 0
            missing = structureTags.filter { !item.contains($0) }
        }
    }

    /// Item index by item offset: a binary search over the offsets in file order (no hashing
    /// of tens of thousands of keys).
    struct OffsetIndex {
        private let sorted: [(offset: Int, index: Int)]
        init(_ nodes: [Node]) {
            var pairs = nodes.enumerated().compactMap { i, node in node.offset.map { (offset: $0, index: i) } }
            if !pairs.indices.dropFirst().allSatisfy({ pairs[$0 - 1].offset < pairs[$0].offset }) { pairs.sort { $0.offset < $1.offset } }
            sorted = pairs
        }
        subscript(offset: Int) -> Int? {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if sorted[mid].offset < offset { lo = mid + 1 } else { hi = mid }
            }
            return lo < sorted.count && sorted[lo].offset == offset ? sorted[lo].index : nil
        }
    }

    /// Last resort when the offsets lead nowhere: the order of the records in the sequence
    /// (PATIENT, then its STUDY, SERIES and leaves) as writers lay them out depth-first.
    static func rebuildBySequence(_ nodes: [Node]) -> [DirectoryRecord] {
        var roots: [DirectoryRecord] = []
        // Where the open PATIENT, STUDY and SERIES are: index paths into `roots`.
        var patient: [Int]?, study: [Int]?, series: [Int]?
        func append(_ r: DirectoryRecord, under parent: [Int]) -> [Int] {
            var at: [Int] = []
            roots.modify(at: parent) { $0.children.append(r); at = parent + [$0.children.count - 1] }
            return at
        }
        for node in nodes where !node.markedInactive {
            let r = node.record
            switch r.type {
            case .patient:
                roots.append(r); patient = [roots.count - 1]; study = nil; series = nil
            case .study:
                if let p = patient { study = append(r, under: p) }
                series = nil
            case .series:
                if let s = study { series = append(r, under: s) }
            default:
                if r.type.isRootLevel { roots.append(r) } else if let s = series { _ = append(r, under: s) }
            }
        }
        return roots
    }

    public static func describe(_ r: DirectoryRecord) -> String {
        "\(r.typeText) record" + (r.offset.map { " at byte \($0)" } ?? "")
    }
}
