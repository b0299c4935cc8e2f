import DICOM
import FileSet
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What an interchange format carries of a file-set, and the rules its paths must keep on
/// the way back in.
struct FileSetContents {
    struct Item {
        var path: String       // in the file-set, "/"-separated
        var isDICOM: Bool      // the DICOMDIR or a file it references
    }

    let root: String
    let items: [Item]
    let fileSetID: String
    /// Files that stay out of the archive or message, each with why (a link, a FIFO, a name
    /// that is not text); the caller reports them.
    let leftOut: [String]
    /// Every read goes through this: nothing outside the root, no link, no FIFO.
    let confined: ConfinedRoot

    /// The DICOMDIR first, then the DICOM files in record order, then every other file. A
    /// DICOMDIR that references anything but a File ID inside the file-set is refused: an
    /// archive or e-mail never carries a file from outside it.
    init(root: String) throws {
        self.root = root
        let read: DICOMDIRReader.Result
        do { read = try DICOMDIRReader.read(path: root) } catch { throw InterchangeError("\(root): not a file-set (\(error))") }
        fileSetID = read.dicomdir.fileSetID
        var refused: [String] = []
        let referenced = read.dicomdir.allRecords.compactMap { r -> String? in
            guard let ref = r.reference else { return nil }
            switch ref.fileID.resolvedPath() {
            case .success(let path): return path
            case .failure(let why): refused.append("\(DICOMDIRReader.describe(r)): \(why)"); return nil
            }
        }
        guard refused.isEmpty else {
            throw InterchangeError("\(root): the DICOMDIR references files that are not inside the file-set; nothing was written (dicomfs verify shows every finding):\n  " + refused.joined(separator: "\n  "))
        }
        do { confined = try ConfinedRoot(root) } catch { throw InterchangeError("\(error)") }
        for path in referenced where confined.kind(path) != .file {
            let what = confined.kind(path) == nil ? "does not exist" : "is not a regular file (a link, folder, pipe or device); not followed"
            refused.append("\(path): referenced by the DICOMDIR but \(what)")
        }
        guard refused.isEmpty else {
            throw InterchangeError("\(root): nothing was written:\n  " + refused.joined(separator: "\n  "))
        }
        let dicom = Set(referenced)
        let walked: DirectoryWalker
        do { walked = try FolderStorage(root: root).walk() } catch { throw InterchangeError("\(error)") }
        var leftOut = walked.skipped.map { "\(SystemPath.display($0.path)): \($0.reason)" }
        let others = walked.files.filter { p in
            guard p != "DICOMDIR", !dicom.contains(p), !FileOps.isStagingPath(p) else { return false }
            if SystemPath.hasRawBytes(p) {
                leftOut.append("\(SystemPath.display(p)): the name is not text (not UTF-8); it cannot be named in an archive or message, left out")
                return false
            }
            return true
        }
        self.leftOut = leftOut
        items = [Item(path: "DICOMDIR", isDICOM: true)] + referenced.map { Item(path: $0, isDICOM: true) }
            + others.map { Item(path: $0, isDICOM: false) }
    }

    /// One item's bytes, read through the confined root.
    func data(_ item: Item) throws -> Data {
        do { return Data(try confined.readAll(item.path)) } catch { throw InterchangeError("\(root)/\(error)") }
    }
}

/// Says why a write failed in words, naming the path: a full disk or a read-only folder as
/// such, never a Foundation error description.
func writeFailure(_ path: String, _ error: Error) -> InterchangeError {
    if let e = error as? InterchangeError { return e }
    var code: Int32 = 0
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { code = Int32(ns.code) }
    else if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain { code = Int32(underlying.code) }
    var fs = statvfs()
    let folder = directoryName(path)
    if code == ENOSPC || code == EDQUOT || (statvfs(folder, &fs) == 0 && UInt64(fs.f_bavail) * UInt64(fs.f_bsize) < 1 << 20) {
        return InterchangeError("\(path): the disk is full (no space left in \(folder)); nothing was written")
    }
    if code == EROFS || access(folder, W_OK) != 0 {
        return InterchangeError("\(path): the folder \(folder) is read-only or not writable; nothing was written")
    }
    return InterchangeError("\(path): cannot write\(code != 0 ? " (" + systemErrorText(code) + ")" : ""); nothing was written")
}

/// An output file written under a temporary name beside its destination, every write
/// checked, renamed into place only when complete: a failed export leaves nothing behind.
final class StagedOutput {
    let destination: String
    let temporary: String
    /// Nil when another writer (the ZIP library) creates the temporary file itself.
    private let handle: FileHandle?
    private var published = false

    init(_ destination: String, create: Bool = true) throws {
        if FileManager.default.fileExists(atPath: destination) { throw InterchangeError("\(destination) exists; dicomfs does not write over it") }
        self.destination = destination
        temporary = directoryName(destination) + "/" + FileOps.temporaryPrefix + "\(getpid())-" + lastComponent(destination)
        unlink(temporary)
        let folder = directoryName(destination)
        guard FileManager.default.fileExists(atPath: folder) else { throw InterchangeError("\(destination): the folder \(folder) does not exist") }
        guard create else {
            guard access(folder, W_OK) == 0 else { throw writeFailure(destination, NSError(domain: NSPOSIXErrorDomain, code: Int(errno))) }
            handle = nil
            return
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw writeFailure(destination, NSError(domain: NSPOSIXErrorDomain, code: Int(errno))) }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func write(_ data: Data) throws {
        do { try handle?.write(contentsOf: data) } catch { throw writeFailure(destination, error) }
    }

    /// fsync, close, rename into place.
    func publish() throws {
        do {
            if let handle { try handle.synchronize(); try handle.close() } else {
                let fd = open(temporary, O_RDONLY | O_CLOEXEC)
                guard fd >= 0, fsync(fd) == 0 else { if fd >= 0 { close(fd) }; throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
                close(fd)
            }
        } catch { throw writeFailure(destination, error) }
        guard rename(temporary, destination) == 0 else { throw writeFailure(destination, NSError(domain: NSPOSIXErrorDomain, code: Int(errno))) }
        published = true
    }

    deinit { if !published { try? handle?.close(); unlink(temporary) } }
}
/// Paths that come in from a message or an archive, checked before anything is written: a
/// File ID for DICOM content (1–8 components of 1–8 A–Z 0–9 _), 8.3 upper-case names for
/// the rest, never `..`, a leading `/` or a backslash.
enum IncomingPath {
    static func check(_ path: String, dicom: Bool) -> String? {
        if path.contains("\\") { return "contains a backslash" }
        if path.hasPrefix("/") { return "starts with /" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.contains("..") || parts.contains(".") { return "contains . or .. components" }
        if parts.contains("") { return "has an empty component" }
        if parts.count > 8 { return "has \(parts.count) components; a File ID has at most 8" }
        for (i, p) in parts.enumerated() {
            let last = i == parts.count - 1
            let pieces = p.split(separator: ".", omittingEmptySubsequences: false)
            let allowDot = last && !dicom
            if pieces.count > (allowDot ? 2 : 1) { return "component \"\(p)\" has \(dicom ? "an extension" : "more than one dot")" }
            let base = pieces[0], ext = pieces.count == 2 ? pieces[1] : ""
            if base.isEmpty || base.count > 8 { return "component \"\(p)\" is not 1–8 characters" }
            if ext.count > 3 || (pieces.count == 2 && ext.isEmpty) { return "component \"\(p)\" is not an 8.3 name" }
            if !(base + ext).unicodeScalars.allSatisfy({ ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }) {
                return "component \"\(p)\" has characters outside A–Z 0–9 _"
            }
        }
        return nil
    }
}

/// Builds an imported file-set in a hidden sibling of its destination and renames it into
/// place only when complete: a refused import leaves nothing behind.
final class StagingFolder {
    let destination: String
    let path: String
    private var committed = false

    init(destination: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) {
            let contents = (try? fm.contentsOfDirectory(atPath: destination)) ?? ["?"]
            guard contents.isEmpty else { throw InterchangeError("\(destination) exists and is not an empty folder; dicomfs never writes over existing files") }
        }
        self.destination = destination
        path = directoryName(destination) + "/." + lastComponent(destination) + ".dicomfs-partial"
        try? fm.removeItem(atPath: path)
        do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch { throw writeFailure(destination, error) }
    }

    /// Creates one file under the staging folder (the path was checked by IncomingPath), its
    /// folders first; every failure in words, naming the destination.
    func create(_ relative: String) throws -> FileHandle {
        let full = path + "/" + relative
        do { try FileManager.default.createDirectory(atPath: directoryName(full), withIntermediateDirectories: true) } catch {
            throw writeFailure(destination, error)
        }
        let fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw writeFailure(destination, NSError(domain: NSPOSIXErrorDomain, code: Int(errno))) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Writes one file under the staging folder, every write checked.
    func write(_ relative: String, _ data: Data) throws {
        let out = try create(relative)
        do { try out.write(contentsOf: data); try out.close() } catch { throw writeFailure(destination, error) }
    }

    /// The staged file-set verified where it stands; throws when it is not a file-set at all.
    func verify() throws -> Verifier.Report {
        do { return try Verifier().verify(path: path) } catch { throw InterchangeError("\(destination): nothing was written: \(error)") }
    }

    /// Synced and renamed into place, as create publishes its folder.
    func commit() throws {
        do { try publishFolder(path, as: destination) } catch { throw InterchangeError("\(error)") }
        committed = true
    }

    deinit { if !committed { try? FileManager.default.removeItem(atPath: path) } }
}

public struct InterchangeError: DescribedError, Sendable {
    public var description: String
    init(_ d: String) { description = d }
}

/// After an import: the result of verifying the new file-set.
public struct ImportReport: Sendable, Codable {
    public var fileSet: String
    public var dicomFiles: Int
    public var otherFiles: Int
    public var skipped: [String]
    public var verification: Verifier.Report
}

extension FileManager {
    func sizeOfFile(_ path: String) -> Int? { (try? attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue }
}
