import DICOM
import FileSet
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What goes on the disc: every directory and file of a file-set folder, each name checked
/// against PS3.12 before libisofs sees it.
public struct MasterPlan: Sendable {
    /// A path on the disc and where its content (or, for a folder, its times) comes from.
    public struct Item: Sendable {
        public var path: String
        public var source: String?
    }

    public var directories: [Item]
    public var files: [Item]
    public var bytes: Int64
    public var fileSetID: String
    /// What verify found in the set that was mastered with `force` (errors), or warnings.
    public var findings: [Finding] = []

    /// Reads the folder; throws `.unusable` listing every name PS3.12 or ISO 9660 level 1
    /// forbids (with the rule), or anything that is not a plain file or directory.
    /// Masters only a set that verifies: a disc made from a set with errors (a File-set ID
    /// with a space, a missing file, a record pointing nowhere) carries them to every reader.
    /// `force` masters it anyway; the findings are then returned for the caller to print.
    public static func make(fileSet root: String, force: Bool) throws -> MasterPlan {
        let report: Verifier.Report, fileSetID: String
        do {
            let read = try Verifier().verifyReading(storage: FolderStorage(root: root))
            (report, fileSetID) = (read.report, read.dicomdir.fileSetID)
        } catch { throw MediaError.unusable("\(root): not a file-set (\(error)); create one first with `dicomfs create`") }
        let errors = report.findings.filter { $0.severity == .error }
        if !errors.isEmpty && !force {
            throw MediaError.unusable("\(root): the file-set has \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing was written (--force masters it anyway):\n  "
                                      + errors.prefix(20).map(\.description).joined(separator: "\n  ") + (errors.count > 20 ? "\n  …" : ""))
        }
        // The DICOMDIR verify read names the volume: it is not read a second time.
        var plan = try make(fileSet: root, fileSetID: fileSetID)
        plan.findings = report.findings.filter { $0.severity != .info }
        return plan
    }

    public static func make(fileSet root: String) throws -> MasterPlan { try make(fileSet: root, fileSetID: nil) }

    private static func make(fileSet root: String, fileSetID known: String?) throws -> MasterPlan {
        let root = absolutePath(root)
        let fileSetID: String
        if let known { fileSetID = known } else {
            do { fileSetID = try DICOMDIRReader.read(path: root).dicomdir.fileSetID } catch {
                throw MediaError.unusable("\(root): not a file-set (\(error)); create one first with `dicomfs create`")
            }
        }
        let walker: DirectoryWalker
        do { walker = try DirectoryWalker(root: root, followLinks: false) } catch { throw MediaError.unusable("\(error)") }
        var problems = walker.skipped.map { "\(SystemPath.display($0.path)): \($0.reason); only regular files and folders go on a disc" }
        var directories: Set<String> = []
        var bytes: Int64 = 0
        // What a killed dicomfs writer left (a temporary DICOMDIR, a journal) never goes on a disc.
        let files = walker.files.filter { !FileOps.isStagingPath($0) }
        for file in files {
            var st = stat()
            if lstat(root + "/" + file, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK {
                problems.append("\(file): a symbolic link; only regular files and folders go on a disc")
            }
            bytes += Int64(st.st_size)
            let name = file.split(separator: "/").last.map(String.init) ?? file
            let isDICOM = name.contains(".") && hasDICMPrefix(root + "/" + file)
            problems += ISONames.violations(path: file, isDirectory: false, isDICOM: isDICOM || !name.contains(".")).map(\.description)
            var parent = Substring(file)
            while let slash = parent.lastIndex(of: "/") {
                parent = parent[..<slash]
                directories.insert(String(parent))
            }
        }
        if !problems.isEmpty {
            throw MediaError.unusable("these names cannot go on a PS3.12 disc unchanged (nothing was written):\n  " + problems.joined(separator: "\n  "))
        }
        return MasterPlan(directories: directories.sorted().map { Item(path: $0, source: root + "/" + $0) },
                          files: files.map { Item(path: $0, source: root + "/" + $0) }, bytes: bytes,
                          fileSetID: fileSetID)
    }

    /// A file-set not yet written: its files go onto the disc straight from the source folder
    /// under their File IDs, and only the DICOMDIR is written, into `scratch`.
    public static func make(staged: StagedFileSet, scratch: String) throws -> MasterPlan {
        let dicomdirPath = absolutePath(scratch) + "/DICOMDIR"
        guard let out = fopen(dicomdirPath, "wb") else {
            throw MediaError.io("cannot write \(dicomdirPath): \(systemErrorText())")
        }
        let written = staged.dicomdir.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
        guard fclose(out) == 0, written == staged.dicomdir.count else { throw MediaError.io("cannot write \(dicomdirPath)") }
        let source = absolutePath(staged.source)
        var files = [Item(path: "DICOMDIR", source: dicomdirPath)]
        if let d = staged.descriptor { files.append(Item(path: d.fileID.path, source: absolutePath(d.source))) }
        let extras = staged.extraFiles.filter { e in !files.contains { $0.path == e.path } }
        files += extras.map { Item(path: $0.path, source: absolutePath($0.source)) }
        let nonDICOM = Set(extras.map(\.path) + (staged.descriptor.map { [$0.fileID.path] } ?? []))
        files += staged.copies.map { Item(path: $0.fileID.path, source: source + "/" + $0.source) }
        var directories: Set<String> = []
        var problems: [String] = []
        for f in files {
            problems += ISONames.violations(path: f.path, isDirectory: false, isDICOM: !nonDICOM.contains(f.path)).map(\.description)
            var parent = Substring(f.path)
            while let slash = parent.lastIndex(of: "/") {
                parent = parent[..<slash]
                directories.insert(String(parent))
            }
        }
        if !problems.isEmpty { throw MediaError.unusable("names PS3.12 forbids:\n  " + problems.joined(separator: "\n  ")) }
        return MasterPlan(directories: directories.sorted().map { Item(path: $0, source: nil) }, files: files,
                          bytes: Int64(staged.report.bytes), fileSetID: staged.report.fileSetID)
    }

    /// The raw ISO 9660 identifiers the plan must produce (`DICOM/P0000001/I0000001.;1`).
    func expectedIdentifiers(media: MediaKind) -> Set<String> {
        var out = Set(directories.map(\.path))
        for f in files {
            var parts = f.path.split(separator: "/").map(String.init)
            parts[parts.count - 1] = ISONames.isoIdentifier(file: parts[parts.count - 1], media: media)
            out.insert(parts.joined(separator: "/"))
        }
        return out
    }

    private static func hasDICMPrefix(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 132)
        return pread(fd, &head, 132, 0) == 132 && head[128...].elementsEqual("DICM".utf8)
    }
}

/// A private folder for the few files mastering writes itself (the DICOMDIR of a streamed
/// create), next to the image so it is on the same file system; removed afterwards.
public final class TemporaryFolder: Sendable {
    public let path: String

    public init(near file: String) throws {
        var template = Array((directoryName(absolutePath(file)) + "/.dicomfs-tmp-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw MediaError.io("cannot create a temporary folder next to \(file): \(systemErrorText())")
        }
        path = String(cString: made)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
