import DICOM

/// The keys of one directory record, taken from the instance that represents it: the record
/// type's keys (PS3.3 F.5, `RecordKeys`), SR/KO content modifiers, the profile's extra keys,
/// and (0008,0005) where a key needs it. Problems are collected in `Notes`, so that every one
/// is reported at once. Sendable and free of shared state: the scan workers make leaf keys
/// with it in parallel, and the record builder makes the rest.
struct RecordKeyMaker: Sendable {
    let profile: ApplicationProfile
    let invent: Bool

    struct Notes {
        var errors: [Rejection] = []
        var invented: [String] = []
        /// Key values rewritten to a standard form or length (see KeyValues).
        var normalized: [String] = []
        var isEmpty: Bool { errors.isEmpty && invented.isEmpty && normalized.isEmpty }
        mutating func append(_ other: Notes) {
            errors += other.errors
            invented += other.invented
            normalized += other.normalized
        }
    }

    /// `header` holds the instance's elements for this level; `path` names the instance in
    /// messages; `index` is the record's 1-based position among its siblings, used for
    /// invented numbers.
    func keys(_ type: RecordType, header h: DataSet, path: String, index: Int, notes: inout Notes) -> DataSet {
        let specs = RecordKeys.keys(for: type), extras = profile.extraKeys(for: type)
        var keys = DataSet(sortedElements: [], characterSet: .default)
        keys.reserveCapacity(specs.count + extras.count + 2)
        for spec in specs {
            if let e = h[spec.tag], hasValue(e) {
                if e.vr == .UI, let uid = h.string(spec.tag), !UIDRegistry.isValid(uid) {
                    notes.errors.append(Rejection(path, "\(path): \(spec.tag) \(DataDictionary.keyword(for: spec.tag)) \"\(uid)\" is not a valid UID (PS3.5 §9.1)", rule: .instanceUIDInvalid))
                    continue
                }
                let (value, note) = KeyValues.normalize(e, in: h)
                if let note { notes.normalized.append("\(path): \(note)") }
                // A value verify would reject is never written: a Type 1 key refuses the file
                // (or is invented), any other is written empty; each said in the report.
                if let (values, problem) = valueProblem(value, h) {
                    let name = "\(spec.tag) \(DataDictionary.keyword(for: spec.tag))"
                    if spec.type == .type1 {
                        if invent, let invented = invented(spec.tag, h, index: index) {
                            keys.set(invented)
                            notes.invented.append("\(path): \(DataDictionary.keyword(for: spec.tag)) replaced, its value \(problem)")
                        } else {
                            notes.errors.append(Rejection(path, "\(path): Type 1 key \(name): \(values.joined(separator: "\\")) \(problem)\(invent ? "" : "; --invent replaces it")", rule: .keyValue))
                        }
                    } else {
                        keys.set(empty(spec.tag))
                        notes.normalized.append("\(path): \(name) \"\(values.joined(separator: "\\"))\" \(problem); written empty in the directory record")
                    }
                    continue
                }
                keys.set(value)
                continue
            }
            switch spec.type {
            case .conditional:
                continue
            case .type2:
                keys.set(empty(spec.tag))
            case .type1:
                if invent, let value = invented(spec.tag, h, index: index) {
                    keys.set(value)
                    notes.invented.append("\(path): \(DataDictionary.keyword(for: spec.tag)) = \(value.bytes.map { String(decoding: $0, as: UTF8.self).trimmingTrailingSpaces } ?? "") for the \(type.rawValue) record")
                } else {
                    let table = RecordKeys.tableName(type)
                    notes.errors.append(Rejection(path, "\(path): missing Type 1 key \(spec.tag) \(DataDictionary.keyword(for: spec.tag)) for the \(type.rawValue) record (PS3.3 \(table))\(invent ? "; it cannot be invented" : "; --invent fills it")", rule: .keyType1))
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
        for tag in extras {
            guard let e = (h[tag].flatMap { hasValue($0) ? $0 : nil }) ?? fromSharedFunctionalGroups(tag, h) else { continue }
            let (value, note) = KeyValues.normalize(e, in: h)
            if let note { notes.normalized.append("\(path): \(note)") }
            // A profile key whose value breaks its VR is left out, not written wrong.
            if let (values, problem) = valueProblem(value, h) {
                notes.normalized.append("\(path): \(tag) \(DataDictionary.keyword(for: tag)) \"\(values.joined(separator: "\\"))\" \(problem); left out of the directory record")
                continue
            }
            keys.set(value)
        }
        // (0008,0005) only where a key actually uses an extended or replacement repertoire.
        if let cs = h[.specificCharacterSet], keys.elements.contains(where: needsCharacterSet) { keys.set(cs) }
        return keys
    }

    /// The values of a key element and the first problem verify would find with them (checked
    /// on bytes first: nothing is decoded for a value that certainly holds); nil when none.
    private func valueProblem(_ value: DataElement, _ h: DataSet) -> (values: [String], problem: String)? {
        guard value.vr != .UI, value.vr != .SQ, !(value.bytes.map { ValueRules.quickOK(value.vr, $0) } ?? true),
              let values = DataSet(sortedElements: [value], characterSet: h.characterSet).strings(value.tag),
              let problem = values.lazy.compactMap({ ValueRules.problem($0, value.vr) }).first else { return nil }
        return (values, problem)
    }

    private func fromSharedFunctionalGroups(_ tag: Tag, _ h: DataSet) -> DataElement? {
        guard let macro = ApplicationProfile.sharedFunctionalGroupKeys.first(where: { $0.0 == tag })?.macro,
              let shared = h.sequence(.sharedFunctionalGroupsSequence)?.first,
              let item = shared.sequence(macro)?.first, let e = item[tag], hasValue(e) else { return nil }
        return e
    }

    /// Deterministic, documented stand-ins for missing Type 1 keys (man page: --invent).
    private func invented(_ tag: Tag, _ h: DataSet, index: Int) -> DataElement? {
        func string(_ vr: VR, _ value: String) -> DataElement {
            var ds = DataSet()
            ds.set(tag, vr, value)
            return ds[tag] ?? DataElement(tag, vr, bytes: [])
        }
        switch tag {
        case .studyDate:
            let d = RecordKeys.inventionSources(for: tag).lazy.compactMap { nonEmpty(h.string($0)) }.first
            return string(.DA, d ?? "19000101")
        case .studyTime:
            let t = RecordKeys.inventionSources(for: tag).lazy.compactMap { nonEmpty(h.string($0)) }.first
            return string(.TM, t ?? "000000")
        case .studyID:
            let a = RecordKeys.inventionSources(for: tag).lazy.compactMap { nonEmpty(h.string($0)) }.first
            return string(.SH, a.map { String($0.prefix(16)) } ?? "DFS\(index)")
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
}
