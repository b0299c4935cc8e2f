import DICOM

/// Makes a key value copied from an instance fit for a directory record: the standard forms of
/// DA and TM (PS3.5 Table 6.2-1) for the pre-1993 "YYYY.MM.DD" and "HH:MM:SS", and values cut
/// to their VR's maximum length. Each change is described for the report.
enum KeyValues {
    /// Maximum value lengths in characters (PS3.5 Table 6.2-1), for the VRs keys use.
    /// (A switch: it is asked for every key of every instance scanned.)
    static func maxLength(_ vr: VR) -> Int? {
        switch vr {
        case .AE, .CS, .DS, .SH: return 16
        case .AS: return 4
        case .DA: return 8
        case .IS: return 12
        case .LO: return 64
        case .TM: return 14
        default: return nil
        }
    }

    /// Keys whose VM is more than 1 and that carry several values in nearly every file: no
    /// dictionary lookup for them (the dictionary is built on first use, a cost a scan of
    /// small files would otherwise pay for Image Type alone).
    static let multiValued: Set<Tag> = [.imageType, .specificCharacterSet, .referencedFileID, .imagePositionPatient,
                                         .imageOrientationPatient, .pixelSpacing, .windowCenter, .windowWidth]

    static func normalize(_ e: DataElement, in ds: DataSet) -> (DataElement, note: String?) {
        guard case .bytes(let raw) = e.value else { return (e, nil) }
        // The common case, decided on bytes: nothing to rewrite.
        let legacy = (e.vr == .DA && raw.contains(0x2E)) || (e.vr == .TM && raw.contains(0x3A))
        // Several values where the dictionary allows one (an Accession Number "PR\US"): a
        // record key takes the first (PS3.5 §6.4 VM), said in the report.
        let tooMany = raw.contains(0x5C) && !multiValued.contains(e.tag) && DataDictionary.entry(for: e.tag)?.vm == "1"
        // The longest single value, on bytes (a multi-valued key such as Image Type is long in
        // total, each value short).
        var longest = 0, run = 0
        for c in raw { if c == 0x5C { run = 0 } else { run += 1; if run > longest { longest = run } } }
        if !legacy && !tooMany && longest <= (maxLength(e.vr) ?? Int.max) { return (e, nil) }
        guard let all = ds.strings(e.tag) else { return (e, nil) }
        let values = tooMany ? Array(all.prefix(1)) : all
        var changed = values
        switch e.vr {
        case .DA:
            changed = values.map { v in DICOMDate(parsing: v)?.description ?? v }
        case .TM:
            changed = values.map { v in v.contains(":") ? (DICOMTime(parsing: v)?.description ?? v) : v }
        default:
            break
        }
        if let max = maxLength(e.vr), !e.vr.usesSpecificCharacterSet || changed.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
            changed = changed.map { $0.count > max ? String($0.prefix(max)) : $0 }
        }
        guard changed != all else { return (e, nil) }
        var out = DataSet()
        out.set(e.tag, e.vr, changed)
        let note = "\(DataDictionary.keyword(for: e.tag)) \"\(all.joined(separator: "\\"))\" written as \"\(changed.joined(separator: "\\"))\" in the directory record"
            + (tooMany ? " (VM 1: the first value)" : "")
        return (out[e.tag] ?? e, note)
    }
}
