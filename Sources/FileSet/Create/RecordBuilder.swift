import DICOM

/// Turns scanned instances into the record tree of a DICOMDIR: one PATIENT per Patient ID,
/// one STUDY per Study Instance UID, one SERIES per Series Instance UID, and the leaf record
/// the SOP class calls for (PS3.3 Annex F). Reports missing keys and inconsistencies.
final class RecordBuilder {
    let profile: ApplicationProfile
    let invent: Bool

    struct Result {
        var roots: [DirectoryRecord] = []
        /// Leaf record → the instance it references, in record order.
        var leaves: [(record: DirectoryRecord, instance: ScannedInstance)] = []
        var errors: [String] = []
        var inconsistencies: [String] = []
        var invented: [String] = []
        /// Key values rewritten to a standard form or length (see KeyValues).
        var normalized: [String] = []
    }

    /// A group of instances under construction (patient, study or series level). Only the
    /// first instance keeps its whole header: the group's record takes its keys from it.
    private final class Group {
        let key: String
        var first: ScannedInstance
        var children: [String: Group] = [:]
        var order: [String] = []
        var leaves: [ScannedInstance] = []
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
    private var rootLeaves: [ScannedInstance] = []
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

    init(profile: ApplicationProfile, invent: Bool) {
        self.profile = profile
        self.invent = invent
    }

    /// Files one instance under its patient, study and series, checks it against the
    /// group's first instance, and keeps of it only what its own leaf record needs.
    func add(_ instance: ScannedInstance) {
        var inst = instance
        if inst.leafType.isRootLevel {
            rootLeaves.append(inst)
            return
        }
        guard let patientID = inst.patientID ?? inventedPatientID(inst) else { return }
        inst.patientID = patientID
        guard let studyUID = inst.studyUID else {
            result.errors.append("\(inst.relativePath): no Study Instance UID (0020,000D); the STUDY record needs it (PS3.3 F.5-2)")
            return
        }
        guard let seriesUID = inst.seriesUID else {
            result.errors.append("\(inst.relativePath): no Series Instance UID (0020,000E); the SERIES record needs it (PS3.3 F.5-3)")
            return
        }
        if let bad = [studyUID, seriesUID, inst.sopInstanceUID, inst.sopClassUID].first(where: { !UIDRegistry.isValid($0) }) {
            result.errors.append("\(inst.relativePath): \"\(bad)\" is not a valid UID (PS3.5 §9.1); the DICOMDIR cannot reference it")
            return
        }
        let patient: Group
        if let p = patients[patientID] { patient = p } else { patient = Group(key: patientID, first: inst); patients[patientID] = patient }
        guard let study = child(studyUID, "study", of: patient, key: patientID, in: &studies, inst),
              let series = child(seriesUID, "series", of: study, key: studyUID, in: &seriesByUID, inst) else { return }
        compare(patient.first.levelBlobs.patient, inst.levelBlobs.patient, patient.first, inst,
                [.patientName, .patientBirthDate, .patientSex], "Patient ID \(patientID)")
        compare(study.first.levelBlobs.study, inst.levelBlobs.study, study.first, inst,
                [.studyDate, .studyTime, .studyID, .accessionNumber, .studyDescription], "study \(studyUID)")
        compare(series.first.levelBlobs.series, inst.levelBlobs.series, series.first, inst,
                [.modality, .seriesNumber], "series \(seriesUID)")
        inst.levelBlobs = .init()  // groups keep their first instance's; a leaf needs none
        series.leaves.append(inst)
    }

    /// The study or series `uid` under `parent`; nil (with an error) when the same UID was
    /// already seen under a different parent (one record per UID, PS3.3 F.5).
    private func child(_ uid: String, _ what: String, of parent: Group, key: String, in map: inout [String: Owned],
                       _ inst: ScannedInstance) -> Group? {
        if let known = map[uid] {
            guard known.parent == key else {
                result.errors.append("\(what) \(uid) appears under \"\(known.parent)\" (\(known.path)) and under \"\(key)\" (\(inst.relativePath))")
                return nil
            }
            return known.group
        }
        let group = parent.child(uid, inst)
        map[uid] = Owned(parent: key, path: inst.relativePath, group: group)
        return group
    }

    /// With --invent, a Patient ID from name and birth date (decoded from the patient blob).
    private func inventedPatientID(_ inst: ScannedInstance) -> String? {
        patientID(of: inst.atLevel(inst.levelBlobs.patient), &result)
    }

    /// Builds the record tree from everything added, in record order.
    func finish() -> Result {
        for patientID in patients.keys.sorted() {
            let p = patients[patientID]!
            var patientView = p.first.atLevel(p.first.levelBlobs.patient)
            if patientView.header.string(.patientID) != patientID { patientView.header.set(.patientID, .LO, patientID) }
            let patientRecord = DirectoryRecord(type: .patient, keys: keys(.patient, patientView, &result))
            let studies = p.order.compactMap { p.children[$0] }.map { g -> (Group, ScannedInstance, String) in
                let view = g.first.atLevel(g.first.levelBlobs.study)
                return (g, view, studySortKey(view))
            }.sorted { $0.2 < $1.2 }
            for (si, (s, studyView, _)) in studies.enumerated() {
                let studyRecord = DirectoryRecord(type: .study, keys: keys(.study, studyView, &result, index: si + 1))
                let seriesGroups = s.order.compactMap { s.children[$0] }.map { g -> (Group, ScannedInstance, Int) in
                    let view = g.first.atLevel(g.first.levelBlobs.series)
                    return (g, view, number(view, .seriesNumber))
                }.sorted { ($0.2, $0.0.key) < ($1.2, $1.0.key) }
                for (ri, (r, seriesView, _)) in seriesGroups.enumerated() {
                    let seriesRecord = DirectoryRecord(type: .series, keys: keys(.series, seriesView, &result, index: ri + 1))
                    // Sort keys computed once per instance, not once per comparison.
                    let leaves = r.leaves.map { ($0, number($0, .instanceNumber)) }
                        .sorted { ($0.1, $0.0.sopInstanceUID) < ($1.1, $1.0.sopInstanceUID) }.map(\.0)
                    for (li, inst) in leaves.enumerated() {
                        let type = inst.leafType
                        let leaf = DirectoryRecord(type: type, keys: keys(type, inst, &result, index: li + 1))
                        seriesRecord.children.append(leaf)
                        result.leaves.append((leaf, inst))
                    }
                    studyRecord.children.append(seriesRecord)
                }
                patientRecord.children.append(studyRecord)
            }
            result.roots.append(patientRecord)
        }
        for (i, inst) in rootLeaves.sorted(by: { $0.sopInstanceUID < $1.sopInstanceUID }).enumerated() {
            let type = inst.leafType
            let leaf = DirectoryRecord(type: type, keys: keys(type, inst, &result, index: i + 1))
            result.roots.append(leaf)
            result.leaves.append((leaf, inst))
        }
        return result
    }

    // MARK: Keys

    /// Patient ID, or with --invent a deterministic one from name and birth date.
    private func patientID(of inst: ScannedInstance, _ result: inout Result) -> String? {
        if let id = inst.patientID { return id }
        guard invent else {
            result.errors.append("\(inst.relativePath): missing Type 1 key (0010,0020) PatientID for the PATIENT record (PS3.3 F.5-1); --invent fills it")
            return nil
        }
        let basis = (inst.header.string(.patientName) ?? "") + "|" + (inst.header.string(.patientBirthDate) ?? "")
        let id = "DFS" + String(fnv1a(basis) & 0xFFFF_FFFF_FFFF, radix: 16, uppercase: true)
        result.invented.append("\(inst.relativePath): PatientID \(id) (from name and birth date)")
        return id
    }

    /// The keys of one record from the instance that represents it. A Type 1 key that is missing
    /// (and may not be invented) or invalid is added to `result.errors`, and building goes on so
    /// that every problem is reported at once. `index` is the record's 1-based position among its
    /// siblings, used for invented numbers.
    private func keys(_ type: RecordType, _ inst: ScannedInstance, _ result: inout Result, index: Int = 1) -> DataSet {
        let h = inst.header
        var keys = DataSet()
        for spec in RecordKeys.keys(for: type) {
            if let e = h[spec.tag], hasValue(e) {
                if e.vr == .UI, let uid = h.string(spec.tag), !UIDRegistry.isValid(uid) {
                    result.errors.append("\(inst.relativePath): \(spec.tag) \(DataDictionary.keyword(for: spec.tag)) \"\(uid)\" is not a valid UID (PS3.5 §9.1)")
                    continue
                }
                let (value, note) = KeyValues.normalize(e, in: h)
                if let note { result.normalized.append("\(inst.relativePath): \(note)") }
                keys.set(value)
                continue
            }
            switch spec.type {
            case .conditional:
                continue
            case .type2:
                keys.set(empty(spec.tag))
            case .type1:
                if invent, let value = invented(spec.tag, inst, index: index) {
                    keys.set(value)
                    result.invented.append("\(inst.relativePath): \(DataDictionary.keyword(for: spec.tag)) = \(value.bytes.map { String(decoding: $0, as: UTF8.self).trimmingTrailingSpaces } ?? "") for the \(type.rawValue) record")
                } else {
                    let table = RecordKeys.tableName(type)
                    result.errors.append("\(inst.relativePath): missing Type 1 key \(spec.tag) \(DataDictionary.keyword(for: spec.tag)) for the \(type.rawValue) record (PS3.3 \(table))\(invent ? "; it cannot be invented" : "; --invent fills it")")
                }
            }
        }
        switch type {
        case .srDocument, .keyObjectDoc:
            if let items = h.sequence(.contentSequence) {
                let modifiers = items.filter { $0.string(.relationshipType) == "HAS CONCEPT MOD" }
                if !modifiers.isEmpty { keys.set(.contentSequence, sequence: modifiers) }
            }
            if type == .srDocument, h.string(.verificationFlag) == "VERIFIED",
               let observer = h.sequence(.verifyingObserverSequence)?.last, let e = observer[.verificationDateTime] {
                keys.set(e)
            }
        default:
            break
        }
        for tag in profile.extraKeys(for: type) {
            if let e = h[tag], hasValue(e) { keys.set(e); continue }
            if let e = fromSharedFunctionalGroups(tag, h) { keys.set(e) }
        }
        // (0008,0005) only where a key actually uses an extended or replacement repertoire.
        if let cs = h[.specificCharacterSet], keys.elements.contains(where: needsCharacterSet) { keys.set(cs) }
        return keys
    }

    private func fromSharedFunctionalGroups(_ tag: Tag, _ h: DataSet) -> DataElement? {
        guard let macro = ApplicationProfile.sharedFunctionalGroupKeys.first(where: { $0.0 == tag })?.macro,
              let shared = h.sequence(.sharedFunctionalGroupsSequence)?.first,
              let item = shared.sequence(macro)?.first, let e = item[tag], hasValue(e) else { return nil }
        return e
    }

    /// Deterministic, documented stand-ins for missing Type 1 keys (man page: --invent).
    private func invented(_ tag: Tag, _ inst: ScannedInstance, index: Int) -> DataElement? {
        let h = inst.header
        func string(_ vr: VR, _ value: String) -> DataElement {
            var ds = DataSet()
            ds.set(tag, vr, value)
            return ds[tag]!
        }
        switch tag {
        case .studyDate:
            let d = [Tag.seriesDate, .acquisitionDate, .contentDate].lazy.compactMap { nonEmpty(h.string($0)) }.first
            return string(.DA, d ?? "19000101")
        case .studyTime:
            let t = [Tag.seriesTime, .acquisitionTime, .contentTime].lazy.compactMap { nonEmpty(h.string($0)) }.first
            return string(.TM, t ?? "000000")
        case .studyID:
            return string(.SH, nonEmpty(h.string(.accessionNumber)).map { String($0.prefix(16)) } ?? "DFS\(index)")
        case .modality:
            return string(.CS, "OT")
        default:
            break
        }
        let vr = DataDictionary.entry(for: tag)?.vr ?? .UN
        switch vr {
        case .IS: return string(.IS, String(index))
        case .DA: return string(.DA, "19000101")
        case .TM: return string(.TM, "000000")
        case .DT: return string(.DT, "19000101000000")
        case .CS: return string(.CS, "UNKNOWN")
        case .LO, .SH, .LT, .ST, .UT, .PN: return string(vr, "UNKNOWN")
        default: return nil  // UIDs, sequences and binary values are never made up
        }
    }

    // MARK: Consistency

    /// Same bytes, same values: the common case costs one comparison. Otherwise the two
    /// level blobs are decoded and the consistency-checked values compared one by one.
    private func compare(_ a: [UInt8], _ b: [UInt8], _ first: ScannedInstance, _ other: ScannedInstance,
                         _ tags: [Tag], _ what: @autoclosure () -> String) {
        if a == b || first.relativePath == other.relativePath { return }
        let x = first.atLevel(a).header, y = other.atLevel(b).header
        for tag in tags {
            let u = x.string(tag) ?? "", v = y.string(tag) ?? ""
            if u != v {
                result.inconsistencies.append("\(what()): \(DataDictionary.keyword(for: tag)) is \"\(u)\" in \(first.relativePath) but \"\(v)\" in \(other.relativePath)")
            }
        }
    }

    private func studySortKey(_ inst: ScannedInstance) -> String {
        (inst.header.string(.studyDate) ?? "") + "|" + (inst.header.string(.studyTime) ?? "") + "|" + (inst.header.string(.studyInstanceUID) ?? "")
    }

    private func number(_ inst: ScannedInstance, _ tag: Tag) -> Int { inst.header.int(tag) ?? Int.max }
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

func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    return h
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " || s.last == "\0" { s = s.dropLast() }
        return String(s)
    }
}
