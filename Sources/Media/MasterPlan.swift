import FileSet
#if canImport(Glibc)
import Glibc
#endif

/// What goes on the disc: every directory and file of a file-set folder, each name checked
/// against PS3.12 before libisofs sees it.
public struct MasterPlan: Sendable {
    public var root: String
    public var directories: [String]
    public var files: [String]
    public var bytes: Int64
    public var fileSetID: String

    /// Reads the folder; throws `.unusable` listing every name PS3.12 or ISO 9660 level 1
    /// forbids (with the rule), or anything that is not a plain file or directory.
    public static func make(fileSet root: String) throws -> MasterPlan {
        let root = absolutePath(root)
        let dicomdir: DICOMDIRReader.Result
        do {
            dicomdir = try DICOMDIRReader.read(path: root)
        } catch {
            throw MediaError.unusable("\(root): not a file-set (\(error)); create one first with `dicomfs create`")
        }
        let walker: DirectoryWalker
        do { walker = try DirectoryWalker(root: root) } catch { throw MediaError.unusable("\(error)") }
        var problems = walker.skipped.map { "\($0.path): \($0.reason); only regular files and folders go on a disc" }
        var directories: Set<String> = []
        var bytes: Int64 = 0
        for file in walker.files {
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
        return MasterPlan(root: root, directories: directories.sorted(), files: walker.files, bytes: bytes,
                          fileSetID: dicomdir.dicomdir.fileSetID)
    }

    /// The raw ISO 9660 identifiers the plan must produce (`DICOM/P0000001/I0000001.;1`).
    func expectedIdentifiers(media: MediaKind) -> Set<String> {
        var out = Set(directories)
        for f in files {
            var parts = f.split(separator: "/").map(String.init)
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
