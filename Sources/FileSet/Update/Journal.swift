/// The files an update is about to add or delete, written (and synced) before it touches
/// them: if the process dies between copying files and committing the DICOMDIR, or between
/// committing and deleting, the next run knows which unreferenced files are its own
/// leftovers and cleans them up; `verify` reports them as such instead of as errors.
struct Journal {
    static let name = ".dicomfs-journal"

    /// File IDs (paths relative to the file-set root) the interrupted update may have left.
    var paths: [String]

    static func read(in root: String) -> Journal? {
        guard let bytes = try? FileOps.readAll(root + "/" + name) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return Journal(paths: text.split(separator: "\n").map(String.init).filter { !$0.isEmpty })
    }

    func write(in root: String) throws {
        try FileOps.writeAtomically(Array((paths.joined(separator: "\n") + "\n").utf8), to: root + "/" + Journal.name)
    }

    static func remove(in root: String) {
        FileOps.unlinkIfPresent(root + "/" + name)
        FileOps.syncDirectory(root)
    }

    /// Deletes the journaled files the current DICOMDIR does not reference, then the journal.
    static func recover(in root: String, referenced: Set<String>) -> [String] {
        guard let journal = read(in: root) else { return [] }
        var removed: [String] = []
        for p in journal.paths where !referenced.contains(p.uppercased()) && FileOps.exists(root + "/" + p) {
            FileOps.unlinkIfPresent(root + "/" + p)
            removed.append(p)
        }
        FileOps.removeEmptyParents(of: journal.paths, in: root)
        remove(in: root)
        return removed
    }
}
