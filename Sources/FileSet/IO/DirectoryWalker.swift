import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// Lists the regular files under a folder with readdir and d_type: no per-file stat, no
/// Foundation. Symbolic links are followed only to regular files inside the folder; links
/// to directories, outside the folder, dangling or looping are reported, never followed.
public struct DirectoryWalker: Sendable {
    public struct Skipped: Sendable, Equatable {
        public let path: String
        public let reason: String
    }

    public private(set) var files: [String] = []      // paths relative to the root
    public private(set) var skipped: [Skipped] = []
    private let root: String
    private let realRoot: String
    /// False for a file-set received from outside: links are listed as skipped, never followed.
    private var followLinks = true

    public init(root: String, followLinks: Bool = true) throws {
        self.followLinks = followLinks
        var rootStat = stat()
        guard SystemPath.withCPath(root, { stat($0, &rootStat) }) == 0 else {
            throw FileSetError.unusableInput("\(root): \(systemErrorText())")
        }
        guard rootStat.st_mode & S_IFMT == S_IFDIR else { throw FileSetError.unusableInput("\(root): not a folder") }
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        realRoot = canonicalPath(root) ?? root
        // The top level here; each folder under it walked on its own core, the results joined
        // in path order.
        let top = readEntries(relative: "")
        let folders = top.filter { $0.kind == .folder }.map(\.rel)
        let parts = parallelMap(folders.count) { [self] i -> (files: [String], skipped: [Skipped]) in
            var part = DirectoryWalker(root: self.root, realRoot: self.realRoot)
            part.followLinks = self.followLinks
            part.walk(relative: folders[i])
            return (part.files, part.skipped)
        }
        var next = 0
        for entry in top {
            guard entry.kind == .folder else { files.append(entry.rel); continue }
            files += parts[next].files
            skipped += parts[next].skipped
            next += 1
        }
    }

    private init(root: String, realRoot: String) {
        self.root = root
        self.realRoot = realRoot
    }

    private enum Kind { case file, folder }

    private mutating func walk(relative: String) {
        for entry in readEntries(relative: relative) {
            switch entry.kind {
            case .file: files.append(entry.rel)
            case .folder: walk(relative: entry.rel)
            }
        }
    }

    /// One folder's files and subfolders in path order, so that the walk lists paths sorted
    /// without sorting them all at the end: entries sort by name, a folder's as its name plus
    /// "/" (where its contents fall among full paths). Links are resolved; what is skipped is
    /// recorded.
    private mutating func readEntries(relative: String) -> [(rel: String, kind: Kind)] {
        let dirPath = relative.isEmpty ? root : root + "/" + relative
        guard let dir = SystemPath.withCPath(dirPath, { opendir($0) }) else {
            skipped.append(Skipped(path: relative.isEmpty ? "." : relative, reason: "cannot open folder: \(systemErrorText())"))
            return []
        }
        defer { closedir(dir) }
        var entries: [(key: String, rel: String, kind: Kind)] = []
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if name == "." || name == ".." { continue }
            let rel = relative.isEmpty ? name : joinedPath(relative, name)
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var st = stat()
                guard SystemPath.withCPath(root + "/" + rel, { lstat($0, &st) }) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: type = UInt8(DT_DIR)
                case S_IFREG: type = UInt8(DT_REG)
                case S_IFLNK: type = UInt8(DT_LNK)
                default: type = UInt8(DT_FIFO)
                }
            }
            switch Int(type) {
            case Int(DT_DIR): entries.append((name + "/", rel, .folder))
            case Int(DT_REG): entries.append((name, rel, .file))
            case Int(DT_LNK) where !followLinks:
                skipped.append(Skipped(path: rel, reason: "symbolic link, not followed (links on a file-set are never followed)"))
            case Int(DT_LNK): if followLink(rel) { entries.append((name, rel, .file)) }
            default: skipped.append(Skipped(path: rel, reason: "not a regular file (device, pipe or socket)"))
            }
        }
        entries.sort { $0.key < $1.key }
        return entries.map { ($0.rel, $0.kind) }
    }

    /// Whether a link leads to a regular file inside the folder (else it is recorded as skipped).
    private mutating func followLink(_ rel: String) -> Bool {
        let full = root + "/" + rel
        var st = stat()
        guard SystemPath.withCPath(full, { stat($0, &st) }) == 0 else {
            let why = errno == ELOOP ? "symbolic link loop" : "dangling symbolic link"
            skipped.append(Skipped(path: rel, reason: why))
            return false
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            skipped.append(Skipped(path: rel, reason: "symbolic link to a folder or special file, not followed"))
            return false
        }
        guard let target = canonicalPath(full), target.hasPrefix(realRoot + "/") else {
            skipped.append(Skipped(path: rel, reason: "symbolic link pointing outside the source folder, not followed"))
            return false
        }
        return true
    }
}

func canonicalPath(_ path: String) -> String? {
    guard let resolved = SystemPath.withCPath(path, { realpath($0, nil) }) else { return nil }
    defer { free(resolved) }
    return SystemPath.decode(cString: resolved)
}
