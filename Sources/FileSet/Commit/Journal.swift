import DICOM

/// The files an update is about to add or delete, written (and synced) before it touches
/// them: if the process dies between copying files and committing the DICOMDIR, or between
/// committing and deleting, the next run knows which unreferenced files are its own
/// leftovers and cleans them up; `verify` reports them as such instead of as errors.
struct Journal {
    static let name = ".dicomfs-journal"

    /// File IDs (paths relative to the file-set root) the interrupted update may have left.
    var paths: [String]

    static func read(in root: String) -> Journal? {
        guard let bytes = try? ConfinedRoot(root).readAll(name) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return Journal(paths: text.split(separator: "\n").map(String.init).filter { !$0.isEmpty })
    }

    func write(in root: String) throws {
        try FileOps.writeAtomically(Array((paths.joined(separator: "\n") + "\n").utf8), to: root + "/" + Journal.name)
    }

    static func remove(in root: String) {
        FileOps.unlinkIfPresent(root + "/" + name)
        FileWriting.sync(root, folder: true)
    }

    /// Deletes the journaled files the current DICOMDIR does not reference, then the journal.
    static func recover(in root: String, referenced: Set<String>) -> [String] {
        guard let journal = read(in: root) else { return [] }
        // A journal is read from the medium like a DICOMDIR: only File IDs inside the root are
        // ever deleted, through the confined root (a planted journal naming "../x" deletes nothing).
        guard let confined = try? ConfinedRoot(root) else { return [] }
        let paths = journal.paths.filter { FileID.resolvedPath(of: $0) != nil }
        var removed: [String] = []
        for p in paths where !referenced.contains(p.uppercased()) && confined.kind(p) == .file {
            confined.unlink(p)
            removed.append(p)
        }
        confined.removeEmptyParents(of: paths)
        remove(in: root)
        return removed
    }

    /// Deletes what a killed writer left under the staging names (a temporary DICOMDIR or
    /// journal): regular files or links themselves, at the root, never what a link points to.
    static func removeStaleTemporaries(in root: String) -> [String] {
        guard let confined = try? ConfinedRoot(root) else { return [] }
        var removed: [String] = []
        for name in confined.entries(of: "") where name.hasPrefix(FileOps.temporaryPrefix) {
            switch confined.kind(name) {
            case .file, .symbolicLink: if confined.unlink(name) { removed.append(name) }
            case .folder: confined.removeTree(name); removed.append(name)
            default: break
            }
        }
        return removed
    }
}
