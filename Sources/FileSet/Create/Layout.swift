/// The File IDs of a created file-set (copy mode): an IHE PDI–friendly tree under DICOM/
/// with one folder level each for patient, study and series, numbered in record order:
///
///     DICOM/P0000001/S0000001/R0000001/I0000001
///     (patient / study / series ("run") / instance; root-level records: DICOM/X0000001)
///
/// Five components, eight characters each, seven digits per level (10⁷ per parent): the same
/// input always gets the same names, and names never collide.
struct Layout {
    private(set) var fileIDs: [ObjectIdentifier: FileID] = [:]

    init(roots: [DirectoryRecord]) {
        var patient = 0, other = 0
        for root in roots {
            if root.type == .patient {
                patient += 1
                let p = Self.name("P", patient)
                for (si, study) in root.children.enumerated() {
                    let s = Self.name("S", si + 1)
                    for (ri, series) in study.children.enumerated() {
                        let r = Self.name("R", ri + 1)
                        for (ii, leaf) in series.children.enumerated() {
                            fileIDs[ObjectIdentifier(leaf)] = FileID(trusted: ["DICOM", p, s, r, Self.name("I", ii + 1)])
                        }
                    }
                }
            } else {
                other += 1
                fileIDs[ObjectIdentifier(root)] = FileID(trusted: ["DICOM", Self.name("X", other)])
            }
        }
    }

    static func name(_ prefix: String, _ n: Int) -> String {
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }
}
