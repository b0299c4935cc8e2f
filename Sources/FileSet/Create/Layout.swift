/// The File IDs of a created file-set (copy mode): an IHE PDI–friendly tree under DICOM/
/// with one folder level each for patient, study and series, numbered in record order:
///
///     DICOM/P0000001/S0000001/R0000001/I0000001
///     (patient / study / series ("run") / instance; root-level records: DICOM/X0000001)
///
/// Five components, eight characters each, seven digits per level (10⁷ per parent): the same
/// input always gets the same names, and names never collide.
enum Layout {
    /// Gives every leaf of `roots` (none has a File ID yet) its File ID, and returns them in
    /// record order (the order of `RecordBuilder.Result.sources`).
    static func place(_ roots: inout [DirectoryRecord]) -> [FileID] {
        var placed: [FileID] = []
        var patient = 0, other = 0
        for pi in roots.indices {
            if roots[pi].type == .patient {
                patient += 1
                let p = name("P", patient)
                for si in roots[pi].children.indices {
                    let s = name("S", si + 1)
                    for ri in roots[pi].children[si].children.indices {
                        let r = name("R", ri + 1)
                        for ii in roots[pi].children[si].children[ri].children.indices {
                            let id = FileID(trusted: ["DICOM", p, s, r, name("I", ii + 1)])
                            roots[pi].children[si].children[ri].children[ii].setFileID(path: id.path)
                            placed.append(id)
                        }
                    }
                }
            } else {
                other += 1
                let id = FileID(trusted: ["DICOM", name("X", other)])
                roots[pi].setFileID(path: id.path)
                placed.append(id)
            }
        }
        return placed
    }

    static func name(_ prefix: String, _ n: Int) -> String {
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }
}
