/// File IDs for instances added to an existing file-set: in the folder their series already
/// uses (found from an instance already there), else a new folder beside their study's or
/// patient's, else a new patient folder under DICOM/; names follow create's scheme
/// (P/S/R/I + 7 digits) and never collide with a File ID in use or a file on disk.
struct UpdateLayout {
    private var used: Set<String> = []            // File IDs and their folders, upper case
    private var counters: [String: Int] = [:]     // folder + prefix → next number to try
    private var folders: [ObjectIdentifier: [String]] = [:]
    private var parents: [ObjectIdentifier: DirectoryRecord]?
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

    mutating func place(_ leaf: DirectoryRecord, in dir: DICOMDIR) -> FileID {
        if parents == nil {
            var map: [ObjectIdentifier: DirectoryRecord] = [:]
            for r in dir.allRecords { for c in r.children { map[ObjectIdentifier(c)] = r } }
            parents = map
        }
        let folder: [String]
        if let series = parent(of: leaf) {
            folder = self.folder(series, level: 1)
        } else {
            folder = ["DICOM"]
        }
        let id = FileID(trusted: fresh(in: folder, prefix: leaf.type.isRootLevel ? "X" : "I"))
        return id
    }

    private func parent(of r: DirectoryRecord) -> DirectoryRecord? { parents?[ObjectIdentifier(r)] }

    /// The folder of a series (level 1), study (2) or patient (3): from an instance already
    /// below it, else a new one under the parent's folder.
    private mutating func folder(_ r: DirectoryRecord, level: Int) -> [String] {
        if let known = folders[ObjectIdentifier(r)] { return known }
        var result: [String]
        // New leaves hold a reference with an empty File ID until placed.
        if let existing = r.preorder().lazy.compactMap({ $0.reference?.fileID }).first(where: { $0.path != "" })?.components,
           existing.count > level {
            result = Array(existing.dropLast(level))
        } else if level < 3, let up = parent(of: r) {
            let above = folder(up, level: level + 1)
            result = fresh(in: above.count <= 6 ? above : ["DICOM"], prefix: ["R", "S", "P"][level - 1])
        } else {
            result = fresh(in: ["DICOM"], prefix: "P")
        }
        folders[ObjectIdentifier(r)] = result
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
