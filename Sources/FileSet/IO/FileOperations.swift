#if canImport(Glibc)
import Glibc
#endif
import CConfined
import DICOM

/// Errors of the file-set operations; each says what, where, and (for input) why.
public enum FileSetError: DescribedError, Sendable, Equatable {
    /// Input that cannot be used at all (exit status 2).
    case unusableInput(String)
    /// Rules of the standard or the profile the input breaks; nothing was written (exit status 1).
    case rejected([String])
    /// A failure while writing (exit status 1).
    case io(String)

    public var description: String {
        switch self {
        case .unusableInput(let s), .io(let s): return s
        case .rejected(let list): return list.joined(separator: "\n")
        }
    }
}

/// The few system calls file-set writing needs, each through one wrapper that says what failed.
public enum FileOps {
    /// `mkdir -p`; errors name the folder that could not be made.
    public static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if SystemPath.withCPath(current, { mkdir($0, 0o755) }) != 0 && errno != EEXIST {
                throw FileSetError.io("cannot create folder \(current): \(systemErrorText())")
            }
        }
    }

    /// Copies byte for byte with copy_file_range (reflinks where the file system can), falling
    /// back to read/write; the copy is not fsynced here (the caller syncs the file system once).
    public static func copyFile(from source: String, to destination: String) throws {
        let input = SystemPath.withCPath(source) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard input >= 0 else { throw FileSetError.io("cannot open \(source): \(systemErrorText())") }
        defer { close(input) }
        let output = SystemPath.withCPath(destination) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard output >= 0 else { throw FileSetError.io("cannot create \(destination): \(systemErrorText())") }
        defer { close(output) }
        var st = stat()
        guard fstat(input, &st) == 0 else { throw FileSetError.io("cannot stat \(source): \(systemErrorText())") }
        var remaining = Int(st.st_size)
        while remaining > 0 {
            let n = dicomfs_copy_file_range(input, output, UInt(remaining))
            if n > 0 { remaining -= Int(n); continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            if errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP {
                try copyByReading(input, output, source, destination)
                return
            }
            throw FileSetError.io("cannot copy \(source) to \(destination): \(systemErrorText())")
        }
        guard remaining == 0 else { throw FileSetError.io("\(source) changed size while it was copied") }
    }

    private static func copyByReading(_ input: Int32, _ output: Int32, _ source: String, _ destination: String) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw FileSetError.io("cannot read \(source): \(systemErrorText())") }
            if n == 0 { return }
            try buffer.withUnsafeBytes { try writeAll(output, UnsafeRawBufferPointer(rebasing: $0[0..<n]), destination) }
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ path: String) throws {
        let failed = FileWriting.writeAll(fd, bytes)
        guard failed == 0 else { throw FileSetError.io("cannot write \(path): \(systemErrorText(failed))") }
    }

    /// The prefix of every temporary name a dicomfs writer uses beside its target.
    public static let temporaryPrefix = ".dicomfs-tmp-"

    /// A name dicomfs writes only while it works (a temporary file or an update's journal):
    /// never part of a file-set, never mastered, never archived.
    public static func isStagingName(_ name: String) -> Bool { name.hasPrefix(temporaryPrefix) || name == Journal.name }

    /// A path with a staging name anywhere in it (a file inside a scratch folder too).
    public static func isStagingPath(_ path: String) -> Bool {
        path.split(separator: "/").contains { isStagingName(String($0)) }
    }

    /// Writes a file so that it is either entirely there or not at all: a temporary file in the
    /// same folder, fsync, rename over the target, fsync of the folder. Readers see the old
    /// file or the new one, never a part.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let dir = directoryName(path)
        let temp = dir + "/" + temporaryPrefix + "\(getpid())-\(lastComponent(path))"
        // Whatever sits under the temporary name (a planted link among them) is removed, and
        // the file is created anew: never opened through a link, never truncating another file.
        SystemPath.withCPath(temp) { _ = unlink($0) }
        let fd = SystemPath.withCPath(temp) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw FileSetError.io("cannot create \(temp): \(systemErrorText())") }
        do {
            try bytes.withUnsafeBytes { try writeAll(fd, $0, temp) }
            guard fsync(fd) == 0 else { throw FileSetError.io("cannot fsync \(temp): \(systemErrorText())") }
            close(fd)
        } catch {
            close(fd)
            SystemPath.withCPath(temp) { _ = unlink($0) }
            throw error
        }
        guard SystemPath.withCPath(temp, { t in SystemPath.withCPath(path) { rename(t, $0) } }) == 0 else {
            let why = systemErrorText()
            SystemPath.withCPath(temp) { _ = unlink($0) }
            throw FileSetError.io("cannot rename \(temp) to \(path): \(why)")
        }
        FileWriting.sync(dir, folder: true)
    }

    /// Flushes everything written under a folder (one syncfs instead of an fsync per file).
    static func syncFileSystem(of path: String) {
        let fd = SystemPath.withCPath(path) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        _ = dicomfs_syncfs(fd)
        close(fd)
    }

    public static func exists(_ path: String) -> Bool { SystemPath.withCPath(path) { access($0, F_OK) } == 0 }

    static func unlinkIfPresent(_ path: String) { SystemPath.withCPath(path) { _ = unlink($0) } }

    /// Removes the folders of these relative paths that became empty, deepest first.
    static func removeEmptyParents(of paths: [String], in root: String) {
        var folders: Set<String> = []
        for p in paths {
            var parts = p.split(separator: "/").dropLast()
            while !parts.isEmpty { folders.insert(parts.joined(separator: "/")); parts = parts.dropLast() }
        }
        for f in folders.sorted(by: { $0.count > $1.count }) where isEmptyDirectory(root + "/" + f) {
            SystemPath.withCPath(root + "/" + f) { _ = rmdir($0) }
        }
    }

    /// Copies a file and syncs it before returning (updates must not commit before their data).
    static func copyFileDurably(from source: String, to destination: String) throws {
        try copyFile(from: source, to: destination)
        let fd = SystemPath.withCPath(destination) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw FileSetError.io("cannot reopen \(destination): \(systemErrorText())") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileSetError.io("cannot fsync \(destination): \(systemErrorText())") }
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return SystemPath.withCPath(path, { stat($0, &st) }) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    /// The names in a folder (empty when it cannot be read).
    static func entries(of path: String) -> [String] {
        guard let dir = SystemPath.withCPath(path, { opendir($0) }) else { return [] }
        return sortedNames(dir)
    }

    static func isEmptyDirectory(_ path: String) -> Bool {
        isDirectory(path) && entries(of: path).isEmpty
    }

    /// Removes a folder tree (only trees dicomfs itself created).
    static func removeTree(_ path: String) {
        for n in entries(of: path) {
            let child = path + "/" + n
            var st = stat()
            if SystemPath.withCPath(child, { lstat($0, &st) }) == 0 && st.st_mode & S_IFMT == S_IFDIR { removeTree(child) } else { unlinkIfPresent(child) }
        }
        SystemPath.withCPath(path) { _ = rmdir($0) }
    }

    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        return SystemPath.withCPath(path, { stat($0, &st) }) == 0 ? Int(st.st_size) : nil
    }

    /// Every byte of a file (duplicate comparison, journals: small or rare reads).
    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = SystemPath.withCPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { throw FileSetError.io("cannot open \(SystemPath.display(path)): \(systemErrorText())") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw FileSetError.io("cannot read \(path): \(systemErrorText())") }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }
}

/// The names in an open folder but "." and "..", sorted; closes it.
func sortedNames(_ dir: OpaquePointer) -> [String] {
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = entryName(entry)
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// The name of a directory entry (d_name is a fixed C array).
func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { SystemPath.decode(cString: $0) }
    }
}

/// Makes a folder built under a temporary name durable, then renames it into place: the
/// way every dicomfs writer (create's copy, imports) publishes a finished folder.
public func publishFolder(_ temporary: String, as destination: String) throws {
    FileOps.syncFileSystem(of: temporary)
    if FileOps.exists(destination) { SystemPath.withCPath(destination) { _ = rmdir($0) } }   // an empty destination, checked by the caller
    guard SystemPath.withCPath(temporary, { t in SystemPath.withCPath(destination) { rename(t, $0) } }) == 0 else {
        throw FileSetError.io("cannot move the finished folder into place at \(destination): \(systemErrorText())")
    }
    FileWriting.sync(directoryName(destination), folder: true)
}

/// The folder part of a path ("." when there is none). Ours, not NSString's: on Linux its
/// deletingLastPathComponent traps on some one-component paths.
public func directoryName(_ path: String) -> String {
    let path = trimmedOfTrailingSlashes(path)
    guard let slash = lastSlash(path) else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// The last component of a path ("b" for "a/b" and "a/b/").
public func lastComponent(_ path: String) -> String {
    String(lastComponentPart(trimmedOfTrailingSlashes(path)))
}

/// `folder + "/" + name` in one allocation: the walk makes one such path per file, and the
/// two appends of `+` cost several times the copy (callgrind, one run on 7,750 files).
func joinedPath(_ folder: String, _ name: String) -> String {
    var (a, b) = (folder, name)
    return a.withUTF8 { pa in
        b.withUTF8 { pb in
            String(unsafeUninitializedCapacity: pa.count + 1 + pb.count) { out in
                guard let o = out.baseAddress else { return 0 }
                if let s = pa.baseAddress { o.initialize(from: s, count: pa.count) }
                o[pa.count] = 0x2F
                if let s = pb.baseAddress { (o + pa.count + 1).initialize(from: s, count: pb.count) }
                return pa.count + 1 + pb.count
            }
        }
    }
}

/// A relative path's folder ("" at the top) and name, as slices of it, for scans that split
/// every path they read (no trailing slash expected, none trimmed).
func folderPart(_ relative: String) -> Substring {
    guard let slash = lastSlash(relative) else { return "" }
    return relative[..<slash]
}

func lastComponentPart(_ relative: String) -> Substring {
    guard let slash = lastSlash(relative) else { return relative[...] }
    return relative[relative.utf8.index(after: slash)...]
}

/// The last "/" of a path, found on its UTF-8 bytes (the Character search costs far more).
private func lastSlash(_ path: String) -> String.Index? {
    var s = path
    let at = s.withUTF8 { b -> Int? in
        var i = b.count - 1
        while i >= 0 && b[i] != 0x2F { i -= 1 }
        return i >= 0 ? i : nil
    }
    return at.map { path.utf8.index(path.utf8.startIndex, offsetBy: $0) }
}

private func trimmedOfTrailingSlashes(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    return String(p)
}
