/// File IDs for instances added to an existing file-set: in the folder their series already
/// uses (found from an instance already there), else a new folder beside their study's or
/// patient's, else a new patient folder under DICOM/; names follow create's scheme
/// (P/S/R/I + 7 digits) and never collide with a File ID in use or a file on disk.
struct UpdateLayout {
    private var used: Set<String> = []            // File IDs and their folders, upper case
    private var counters: [String: Int] = [:]     // folder + prefix → next number to try
    private var folders: [[Int]: [String]] = [:]   // by the record's index path in the tree
    /// Whether a path is taken on the medium (a file or folder no record references).
    private let exists: (String) -> Bool

    init(referenced: Set<String>, storage: FileSetStorage) {
        exists = { storage.fileExists($0) || !storage.entries(of: $0).isEmpty }
        for path in referenced {
            var parts = path.split(separator: "/").map(String.init)
            while !parts.isEmpty {
                used.insert(parts.joined(separator: "/"))
                parts.removeLast()
            }
        }
    }

    /// A record above a leaf being placed, with its index path (what folders are cached by).
    struct Ancestor {
        let record: DirectoryRecord
        let key: [Int]
    }

    /// A File ID for a new leaf whose ancestors (root first, parent last) are given.
    mutating func place(_ leaf: DirectoryRecord, ancestors: [Ancestor]) -> FileID {
        let folder = ancestors.isEmpty ? ["DICOM"] : self.folder(ancestors[...], level: 1)
        return FileID(trusted: fresh(in: folder, prefix: leaf.type.isRootLevel ? "X" : "I"))
    }

    /// The folder of a series (level 1), study (2) or patient (3) — the last of `chain`: from
    /// an instance already below it, else a new one under the parent's folder.
    private mutating func folder(_ chain: ArraySlice<Ancestor>, level: Int) -> [String] {
        guard let r = chain.last else { return ["DICOM"] }
        if let known = folders[r.key] { return known }
        var result: [String]
        // New leaves hold a reference with an empty File ID until placed.
        if let existing = r.record.preorder().lazy.compactMap({ $0.reference?.fileID }).first(where: { $0.path != "" })?.components,
           existing.count > level {
            result = Array(existing.dropLast(level))
        } else if level < 3, chain.count > 1 {
            let above = folder(chain.dropLast(), level: level + 1)
            result = fresh(in: above.count <= 6 ? above : ["DICOM"], prefix: ["R", "S", "P"][level - 1])
        } else {
            result = fresh(in: ["DICOM"], prefix: "P")
        }
        folders[r.key] = result
        return result
    }

    /// A name in `folder` that nothing uses yet.
    private mutating func fresh(in folder: [String], prefix: String) -> [String] {
        let key = folder.joined(separator: "/") + "|" + prefix
        var n = counters[key] ?? 1
        while true {
            let candidate = folder + [Layout.name(prefix, n)]
            let path = candidate.joined(separator: "/")
            n += 1
            if !used.contains(path.uppercased()) && !exists(path) {
                counters[key] = n
                var parts = candidate
                while !parts.isEmpty { used.insert(parts.joined(separator: "/").uppercased()); parts.removeLast() }
                return candidate
            }
        }
    }
}
