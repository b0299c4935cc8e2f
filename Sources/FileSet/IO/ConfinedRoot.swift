#if canImport(Glibc)
import Glibc
#endif
import CConfined
import DICOM

/// The root folder of a file-set that came from outside (a received disc, an archive, a
/// folder someone else wrote), and the only way its readers and updaters reach the files
/// under it. A path is opened beneath the root's descriptor with `RESOLVE_BENEATH` and
/// `RESOLVE_NO_SYMLINKS` (component by component with `O_NOFOLLOW` on older kernels):
/// `..`, absolute paths and symbolic links never lead out, and nothing but regular files and
/// folders is opened (a FIFO would block a reader forever; it is opened non-blocking and
/// refused). PS3.10 §7.5 asks media readers to treat what they receive as untrusted.
///
/// `@unchecked Sendable`: the one stored descriptor is opened in `init`, never changed, and
/// closed in `deinit`; every use is a `*at` call on it, which the kernel serialises.
public final class ConfinedRoot: @unchecked Sendable {
    public let path: String
    private let fd: Int32

    public enum Kind: Sendable { case file, folder, symbolicLink, other }

    /// Why a path could not be opened, in words for a finding.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public let notFound: Bool
        public var description: String { "\(SystemPath.display(path)): \(reason)" }
    }

    public init(_ path: String) throws {
        let root = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let fd = SystemPath.withCPath(root) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else {
            let why = errno == ENOENT ? "no such folder" : errno == ENOTDIR ? "not a folder" : systemErrorText()
            throw FileSetError.unusableInput("\(SystemPath.display(root)): \(why)")
        }
        self.path = root
        self.fd = fd
    }

    deinit { close(fd) }

    /// The reason a relative path may not be resolved at all: empty, absolute, or with an
    /// empty, "." or ".." component. Nil for a plain relative path.
    public static func refusal(of relative: String) -> String? {
        if relative.isEmpty { return "empty path" }
        if relative.utf8.first == 0x2F { return "absolute path; only paths inside the file-set are followed" }
        if relative.utf8.contains(0) { return "path holds a NUL byte" }
        for c in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if c.isEmpty { return "path has an empty component" }
            if c == "." || c == ".." { return "path has a \"\(c)\" component; it would lead out of the file-set" }
        }
        return nil
    }

    /// Opens a regular file for reading, confined; the caller owns the descriptor.
    public func openFile(_ relative: String) throws -> Int32 {
        if let why = Self.refusal(of: relative) { throw Refusal(path: relative, reason: why, notFound: false) }
        let f = SystemPath.withCPath(relative) { dicomfs_open_beneath(fd, $0, O_RDONLY | O_NONBLOCK) }
        guard f >= 0 else { throw refusal(relative, errno) }
        var st = stat()
        guard fstat(f, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(f)
            throw Refusal(path: relative, reason: (st.st_mode & S_IFMT == S_IFDIR) ? "is a folder, expected a file"
                          : "not a regular file (a device, pipe or socket); not opened", notFound: false)
        }
        return f
    }

    /// A byte source over a confined regular file.
    public func source(_ relative: String) throws -> FileByteSource {
        let f = try openFile(relative)
        return try FileByteSource(descriptor: f, path: path + "/" + relative)
    }

    /// Every byte of a confined regular file (archives and messages; small or rare reads).
    public func readAll(_ relative: String) throws -> [UInt8] {
        let f = try openFile(relative)
        defer { close(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(f, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Refusal(path: relative, reason: "cannot read: \(systemErrorText())", notFound: false)
            }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// What is at a relative path (links not followed, none on the way); nil when nothing.
    public func kind(_ relative: String) -> Kind? {
        if relative.isEmpty { return .folder }
        guard Self.refusal(of: relative) == nil else { return nil }
        var st = stat()
        guard SystemPath.withCPath(relative, { dicomfs_lstat_beneath(fd, $0, &st) }) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// The names in a confined folder ("" is the root), sorted; empty when it is none.
    public func entries(of relative: String) -> [String] {
        let d: Int32
        if relative.isEmpty {
            d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        } else {
            guard Self.refusal(of: relative) == nil else { return [] }
            d = SystemPath.withCPath(relative) { dicomfs_open_beneath(fd, $0, O_RDONLY | O_DIRECTORY) }
        }
        guard d >= 0 else { return [] }
        guard let dir = fdopendir(d) else { close(d); return [] }
        return sortedNames(dir)
    }

    /// Removes a regular file (or a link, never what it points to), confined. False when it
    /// was not there or the path is refused.
    @discardableResult
    public func unlink(_ relative: String) -> Bool {
        guard Self.refusal(of: relative) == nil else { return false }
        return SystemPath.withCPath(relative) { dicomfs_unlink_beneath(fd, $0, 0) } == 0
    }

    /// Removes an empty folder, confined.
    @discardableResult
    public func removeFolder(_ relative: String) -> Bool {
        guard Self.refusal(of: relative) == nil else { return false }
        return SystemPath.withCPath(relative) { dicomfs_unlink_beneath(fd, $0, 1) } == 0
    }

    /// Removes a folder and everything in it, confined: links inside are removed, never
    /// followed.
    public func removeTree(_ relative: String) {
        guard Self.refusal(of: relative) == nil else { return }
        for name in entries(of: relative) {
            let child = relative + "/" + name
            if kind(child) == .folder { removeTree(child) } else { unlink(child) }
        }
        removeFolder(relative)
    }

    /// Removes the folders of these relative paths that became empty, deepest first.
    public func removeEmptyParents(of paths: [String]) {
        var folders: Set<String> = []
        for p in paths where Self.refusal(of: p) == nil {
            var parts = p.split(separator: "/").dropLast()
            while !parts.isEmpty { folders.insert(parts.joined(separator: "/")); parts = parts.dropLast() }
        }
        for f in folders.sorted(by: { $0.count > $1.count }) where kind(f) == .folder && entries(of: f).isEmpty {
            removeFolder(f)
        }
    }

    private func refusal(_ relative: String, _ code: Int32) -> Refusal {
        switch code {
        case ENOENT: return Refusal(path: relative, reason: "no such file", notFound: true)
        case ELOOP: return Refusal(path: relative, reason: "is, or lies under, a symbolic link; links are not followed on received media", notFound: false)
        case EXDEV: return Refusal(path: relative, reason: "leads out of the file-set; not followed", notFound: false)
        case ENOTDIR: return Refusal(path: relative, reason: "a component on the way is not a folder", notFound: true)
        default: return Refusal(path: relative, reason: "cannot open: \(systemErrorText(code))", notFound: false)
        }
    }
}
