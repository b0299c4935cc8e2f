import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// Turns scanned instances into the record tree of a DICOMDIR: one PATIENT per Patient ID,
/// one STUDY per Study Instance UID, one SERIES per Series Instance UID, and the leaf record
/// the SOP class calls for (PS3.3 Annex F). Reports missing keys and inconsistencies.
final class RecordBuilder {
    let keyMaker: RecordKeyMaker

    struct Result {
        var roots: [DirectoryRecord] = []
        /// The file each leaf of `roots` references, in record order (depth first: the order
        /// of `DirectoryRecord.forEachLeaf`). The leaves have their reference but no File ID
        /// yet, unless the files are in place: callers place them.
        var sources: [Source] = []
        var errors: [Rejection] = []
        var inconsistencies: [String] = []
        var invented: [String] = []
        /// Key values rewritten to a standard form or length (see KeyValues).
        var normalized: [String] = []
    }

    /// A referenced file: its path as scanned and its size.
    struct Source {
        let path: String
        let size: Int
    }

    /// What a leaf record needs of its instance once filed; the instance itself is let go
    /// (tens of thousands are held until the tree is built, a few hundred bytes each).
    private struct Leaf {
        let source: Source
        let type: RecordType
        /// Instance Number; Int.max when absent (such leaves sort last).
        let number: Int
        enum Made {
            /// Reference and keys as the scan worker encoded them.
            case encoded(EncodedLeaf)
            /// Keys still to make in record order (making them needs a note): the instance is kept.
            case pending(ScannedInstance)
        }
        let made: Made

        init(_ inst: ScannedInstance) {
            source = Source(path: inst.relativePath, size: inst.size)
            type = inst.leafType
            number = inst.instanceNumber ?? Int.max
            made = inst.leaf.map { .encoded($0) } ?? .pending(inst)
        }

        var sopInstanceUID: ArraySlice<UInt8> {
            switch made {
            case .encoded(let e): return e.sopInstanceUID
            case .pending(let inst): return ArraySlice(inst.sopInstanceUID.utf8)
            }
        }

        /// Record order among siblings: by Instance Number, then SOP Instance UID.
        static func < (a: Leaf, b: Leaf) -> Bool {
            a.number != b.number ? a.number < b.number : a.sopInstanceUID.lexicographicallyPrecedes(b.sopInstanceUID)
        }
    }

    /// A group of instances under construction (patient, study or series level). Only the
    /// first instance is kept whole: the group's record takes its keys from its level blobs.
    /// `@unchecked Sendable` by ownership: filled by the one thread that folds scans in;
    /// afterwards each patient's groups are read by exactly one record-making worker.
    private final class Group: @unchecked Sendable {
        let key: String
        let first: ScannedInstance
        var children: [String: Group] = [:]
        var order: [String] = []
        var leaves: [Leaf] = []
        init(key: String, first: ScannedInstance) { self.key = key; self.first = first }
        func child(_ key: String, _ instance: ScannedInstance) -> Group {
            if let g = children[key] { return g }
            let g = Group(key: key, first: instance)
            children[key] = g
            order.append(key)
            return g
        }
    }

    private var result = Result()
    private var patients: [String: Group] = [:]
    private var rootLeaves: [Leaf] = []
    /// A study or series by UID: its group, its parent's key, and the first file seen in it.
    private struct Owned {
        let parent: String
        let path: String
        let group: Group
    }

    /// Every study and series by UID: one lookup per level per instance finds the group and
    /// checks the hierarchy at once.
    private var studies: [String: Owned] = [:]
    private var seriesByUID: [String: Owned] = [:]
    /// The groups the previous instance went to.
    private var last: (patient: Group, study: Group, series: Group)?

    init(profile: ApplicationProfile, invent: Bool) {
        keyMaker = RecordKeyMaker(profile: profile, invent: invent)
    }

    /// Files one instance under its patient, study and series, checks it against the
    /// group's first instance, and keeps of it only what its own leaf record needs.
    func add(_ inst: ScannedInstance) {
        if inst.leafType.isRootLevel {
            rootLeaves.append(Leaf(inst))
            return
        }
        guard let patientID = inst.patientID ?? inventedPatientID(inst) else { return }
        inst.patientID = patientID
        guard let studyUID = inst.studyUID else {
            result.errors.append(Rejection(inst.relativePath, "\(inst.relativePath): no Study Instance UID (0020,000D); the STUDY record needs it (PS3.3 F.5-2)", rule: .instanceUIDMissing))
            return
        }
        guard let seriesUID = inst.seriesUID else {
            result.errors.append(Rejection(inst.relativePath, "\(inst.relativePath): no Series Instance UID (0020,000E); the SERIES record needs it (PS3.3 F.5-3)", rule: .instanceUIDMissing))
            return
        }
        if let bad = inst.invalidUID {
            result.errors.append(Rejection(inst.relativePath, "\(inst.relativePath): \"\(bad)\" is not a valid UID (PS3.5 §9.1); the DICOMDIR cannot reference it", rule: .instanceUIDInvalid))
            return
        }
        let patient: Group, study: Group, series: Group
        if let last, last.patient.key == patientID, last.study.key == studyUID, last.series.key == seriesUID {
            // The common case: files of one series come together; no lookups, same checks passed.
            (patient, study, series) = last
        } else {
            if let p = patients[patientID] { patient = p } else { patient = Group(key: patientID, first: inst); patients[patientID] = patient }
            guard let st = child(studyUID, "study", of: patient, key: patientID, in: &studies, inst),
                  let se = child(seriesUID, "series", of: st, key: studyUID, in: &seriesByUID, inst) else { return }
            (study, series) = (st, se)
            last = (patient, study, series)
        }
        compare(patient.first.levelBlobs.patient, inst.levelBlobs.patient, patient.first, inst,
                Self.patientChecked, "Patient ID \(patientID)")
        compare(study.first.levelBlobs.study, inst.levelBlobs.study, study.first, inst, Self.studyChecked, "study \(studyUID)")
        compare(series.first.levelBlobs.series, inst.levelBlobs.series, series.first, inst, Self.seriesChecked, "series \(seriesUID)")
        // Groups keep their first instance's blobs; a leaf kept for its keys needs none.
        if patient.first !== inst && study.first !== inst && series.first !== inst { inst.levelBlobs = .init() }
        series.leaves.append(Leaf(inst))
    }

    /// The study or series `uid` under `parent`; nil (with an error) when the same UID was
    /// already seen under a different parent (one record per UID, PS3.3 F.5).
    private func child(_ uid: String, _ what: String, of parent: Group, key: String, in map: inout [String: Owned],
                       _ inst: ScannedInstance) -> Group? {
        if let known = map[uid] {
            guard known.parent == key else {
                result.errors.append(Rejection(inst.relativePath, "\(what) \(uid) appears under \"\(known.parent)\" (\(known.path)) and under \"\(key)\" (\(inst.relativePath))", rule: .instanceHierarchy))
                return nil
            }
            return known.group
        }
        let group = parent.child(uid, inst)
        map[uid] = Owned(parent: key, path: inst.relativePath, group: group)
        // Once per study or series UID, not per file.
        if let w = UIDRegistry.firstArcWarning(uid) { result.normalized.append("\(inst.relativePath): \(w)") }
        return group
    }

    /// With --invent, a Patient ID from name and birth date (decoded from the patient blob).
    private func inventedPatientID(_ inst: ScannedInstance) -> String? {
        patientID(of: inst, header: inst.atLevel(inst.levelBlobs.patient))
    }

    /// Builds the record tree from everything added, in record order. Patients are built on
    /// all cores (each subtree is its own); their leaves and notes are joined in record order.
    /// `filesInPlace`: the scanned paths are the File IDs (create --in-place), and the leaves
    /// are placed as they are made; otherwise callers place them.
    func finish(filesInPlace: Bool = false) -> Result {
        let ids = patients.keys.sorted()
        let groups = ids.compactMap { patients[$0] }
        let keyMaker = self.keyMaker
        let built = parallelMap(groups.count) { i -> (DirectoryRecord, [Source], RecordKeyMaker.Notes) in
            var notes = RecordKeyMaker.Notes()
            var sources: [Source] = []
            let record = Self.patientTree(groups[i], keyMaker: keyMaker, inPlace: filesInPlace, sources: &sources, notes: &notes)
            return (record, sources, notes)
        }
        var notes = RecordKeyMaker.Notes()
        result.sources.reserveCapacity(built.reduce(0) { $0 + $1.1.count } + rootLeaves.count)
        for (record, sources, made) in built {
            result.roots.append(record)
            result.sources += sources
            notes.append(made)
        }
        let roots = rootLeaves.sorted { $0.sopInstanceUID.lexicographicallyPrecedes($1.sopInstanceUID) }
        rootLeaves = []
        for (i, leaf) in roots.enumerated() {
            let record = Self.leafRecord(leaf, index: i + 1, keyMaker: keyMaker, inPlace: filesInPlace, notes: &notes)
            result.roots.append(record)
            result.sources.append(leaf.source)
        }
        result.errors += notes.errors
        result.invented += notes.invented
        result.normalized += notes.normalized
        return result
    }

    /// One PATIENT record and everything below it; its leaves appended in record order.
    private static func patientTree(_ p: Group, keyMaker: RecordKeyMaker, inPlace: Bool, sources: inout [Source],
                                    notes: inout RecordKeyMaker.Notes) -> DirectoryRecord {
        func keys(_ type: RecordType, _ header: DataSet, _ inst: ScannedInstance, index: Int = 1) -> DataSet {
            keyMaker.keys(type, header: header, path: inst.relativePath, index: index, notes: &notes)
        }
        var patientView = p.first.atLevel(p.first.levelBlobs.patient)
        if patientView.string(.patientID) != p.key { patientView.set(.patientID, .LO, p.key) }
        var patientRecord = DirectoryRecord(type: .patient, keys: keys(.patient, patientView, p.first))
        let studies = p.order.compactMap { p.children[$0] }.map { g -> (Group, DataSet, String) in
            let view = g.first.atLevel(g.first.levelBlobs.study)
            return (g, view, studySortKey(view))
        }.sorted { $0.2 < $1.2 }
        for (si, (s, studyView, _)) in studies.enumerated() {
            var studyRecord = DirectoryRecord(type: .study, keys: keys(.study, studyView, s.first, index: si + 1))
            let seriesGroups = s.order.compactMap { s.children[$0] }.map { g -> (Group, DataSet, Int) in
                let view = g.first.atLevel(g.first.levelBlobs.series)
                return (g, view, view.int(.seriesNumber) ?? Int.max)
            }.sorted { ($0.2, $0.0.key) < ($1.2, $1.0.key) }
            for (ri, (r, seriesView, _)) in seriesGroups.enumerated() {
                var seriesRecord = DirectoryRecord(type: .series, keys: keys(.series, seriesView, r.first, index: ri + 1))
                // Sorted in place once the group lets go of them: no copy of the leaves, and the
                // sort only checks leaves that arrive in order, as they usually do.
                var sorted = r.leaves
                r.leaves = []
                sorted.sort(by: <)
                seriesRecord.children.reserveCapacity(sorted.count)
                for (li, leaf) in sorted.enumerated() {
                    seriesRecord.children.append(leafRecord(leaf, index: li + 1, keyMaker: keyMaker, inPlace: inPlace, notes: &notes))
                    sources.append(leaf.source)
                }
                studyRecord.children.append(seriesRecord)
            }
            patientRecord.children.append(studyRecord)
        }
        return patientRecord
    }

    // MARK: Keys

    /// Patient ID, or with --invent a deterministic one from name and birth date.
    private func patientID(of inst: ScannedInstance, header: DataSet) -> String? {
        if let id = inst.patientID { return id }
        guard keyMaker.invent else {
            result.errors.append(Rejection(inst.relativePath, "\(inst.relativePath): missing Type 1 key (0010,0020) PatientID for the PATIENT record (PS3.3 F.5-1); --invent fills it", rule: .keyType1))
            return nil
        }
        let basis = (header.string(.patientName) ?? "") + "|" + (header.string(.patientBirthDate) ?? "")
        let id = "DFS" + String(fnv1a(basis) & 0xFFFF_FFFF_FFFF, radix: 16, uppercase: true)
        result.invented.append("\(inst.relativePath): PatientID \(id) (from name and birth date)")
        return id
    }

    /// The leaf record as the scan worker encoded it, or, when making its keys needed a note
    /// (a missing or invalid key, a rewritten value), made here so the notes come in record order.
    private static func leafRecord(_ leaf: Leaf, index: Int, keyMaker: RecordKeyMaker, inPlace: Bool,
                                   notes: inout RecordKeyMaker.Notes) -> DirectoryRecord {
        switch leaf.made {
        case .encoded(var encoded):
            if inPlace { encoded.filePath = leaf.source.path }
            return DirectoryRecord(type: leaf.type, encoded: encoded)
        case .pending(let inst):
            let keys = keyMaker.keys(inst.leafType, header: inst.header, path: inst.relativePath, index: index, notes: &notes)
            let fileID = FileID(trusted: inPlace ? pathComponents(leaf.source.path) : [])
            return DirectoryRecord(type: leaf.type, keys: keys,
                                   reference: InstanceReference(fileID: fileID, sopClassUID: inst.sopClassUID,
                                                                sopInstanceUID: inst.sopInstanceUID,
                                                                transferSyntaxUID: inst.transferSyntaxUID,
                                                                relatedGeneralSOPClassUID: inst.relatedGeneralSOPClassUID))
        }
    }

    // MARK: Consistency

    /// The values instances of one patient, study or series must agree on.
    static let patientChecked = RecordKeys.consistencyTags(for: .patient)
    static let studyChecked = RecordKeys.consistencyTags(for: .study)
    static let seriesChecked = RecordKeys.consistencyTags(for: .series)

    /// Same bytes, same values: the common case costs one comparison. Otherwise the two
    /// level blobs are decoded and the consistency-checked values compared one by one.
    private func compare(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>, _ first: ScannedInstance, _ other: ScannedInstance,
                         _ tags: [Tag], _ what: @autoclosure () -> String) {
        if sameBytes(a, b) || first.relativePath == other.relativePath { return }
        let x = first.atLevel(a), y = other.atLevel(b)
        for tag in tags {
            let u = x.string(tag) ?? "", v = y.string(tag) ?? ""
            if u != v {
                result.inconsistencies.append("\(what()): \(DataDictionary.keyword(for: tag)) is \"\(u)\" in \(first.relativePath) but \"\(v)\" in \(other.relativePath)")
            }
        }
    }

    private static func studySortKey(_ view: DataSet) -> String {
        (view.string(.studyDate) ?? "") + "|" + (view.string(.studyTime) ?? "") + "|" + (view.string(.studyInstanceUID) ?? "")
    }
}

extension RecordKeys {
    /// The PS3.3 table that lists a record type's keys, for error messages.
    static func tableName(_ type: RecordType) -> String {
        switch type {
        case .patient: return "F.5-1"
        case .study: return "F.5-2"
        case .series: return "F.5-3"
        case .image: return "F.5-4"
        default: return "Annex F.5, \(type.rawValue) keys"
        }
    }
}

func hasValue(_ e: DataElement) -> Bool {
    switch e.value {
    case .bytes(let b): return b.contains { $0 != 0x20 && $0 != 0x00 }
    case .sequence(let items): return !items.isEmpty
    case .fragments, .notLoaded: return true
    }
}

func empty(_ tag: Tag) -> DataElement {
    let vr = DataDictionary.entry(for: tag)?.vr ?? .UN
    return vr == .SQ ? DataElement(tag, .SQ, .sequence([])) : DataElement(tag, vr, bytes: [])
}

/// A key needs (0008,0005) when its bytes leave ASCII or switch code elements.
func needsCharacterSet(_ e: DataElement) -> Bool {
    switch e.value {
    case .bytes(let b): return e.vr.usesSpecificCharacterSet && b.contains { $0 >= 0x80 || $0 == 0x1B }
    case .sequence(let items): return items.contains { $0.elements.contains(where: needsCharacterSet) }
    default: return false
    }
}

/// Byte arrays compared with one memcmp (the generic `==` goes element by element).
func sameBytes(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    a.count == b.count && a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in
            guard let p = x.baseAddress, let q = y.baseAddress else { return true }
            return memcmp(p, q, x.count) == 0
        }
    }
}

func fnv1a(_ s: String) -> UInt64 {
    var s = s
    return s.withUTF8 { bytes in
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " || s.last == "\0" { s = s.dropLast() }
        return String(s)
    }
}
