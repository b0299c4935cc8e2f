import CIsoBurn
import DICOM
import FileSet
import Foundation

/// Masters a file-set folder into an ISO 9660 image (or straight onto a drive): level 1, the
/// PS3.12 name form for the medium, Volume Identifier = File-set ID, file times as recording
/// times, Rock Ridge and MD5s by default. Names are checked before and after writing.
public enum ISOMaster {
    public struct Result: Sendable, Codable {
        public var image: String
        public var media: MediaKind
        public var volumeID: String
        public var files: Int
        public var directories: Int
        public var bytes: Int64
        public var seconds: Double
        public var md5: Bool
        public var warnings: [String]
    }

    /// Masters `plan` into the image file `output` (written under a temporary name, renamed
    /// when complete and checked) or onto a drive address (`stdio:…`, /dev/sr0).
    public static func master(_ plan: MasterPlan, to output: String, settings: ImageSettings,
                              control: WriteControl = WriteControl(),
                              progress: ((WriteProgress) -> Void)? = nil) throws -> Result {
        let isImageFile = !output.hasPrefix("stdio:") && !output.hasPrefix("/dev/")
        let target = isImageFile ? absolutePath(output) : output
        // A fresh file every time: libburn's truncate-at-write-start flag also truncates when
        // the emulated TOC header is written at the end (seen with libisoburn 1.5.4), so the
        // file is never reused and never truncated.
        let temporary = isImageFile ? directoryName(target) + "/.dicomfs-tmp-" + lastComponent(target) : target
        if isImageFile {
            // Said in words before libburn is asked (it would say "Failed to open device").
            let folder = directoryName(target)
            var st = stat()
            guard stat(folder, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
                throw MediaError.unusable("\(output): the folder \(folder) does not exist")
            }
            var fs = statvfs()
            if access(folder, W_OK) != 0 || (statvfs(folder, &fs) == 0 && fs.f_flag & UInt(ST_RDONLY) != 0) {
                throw MediaError.unusable("\(output): the folder \(folder) is read-only or not writable; nothing was written")
            }
            unlink(temporary)
        }
        let outcome: SessionWriter.Outcome
        do {
            outcome = try LibraryThread.shared.run { lib in
                let drive = try AcquiredDrive(lib, address: driveAddress(temporary), flags: [.overwritableIsBlank, .noACL, .noXattr])
                defer { drive.release() }
                guard drive.status == BURN_DISC_BLANK else {
                    throw MediaError.unusable("\(output): the medium is \(drive.status.word), not blank; use `dicomfs burn --blank-first` or `add --media` to append")
                }
                let image = try newImage(on: drive, volumeID: plan.fileSetID)
                defer { iso_image_unref(image) }
                var tree = TreeBuilder(image: image)
                try tree.add(plan)
                return try SessionWriter.write(drive, image: image, settings: settings, control: control, target: output, progress: progress)
            }
        } catch {
            if isImageFile { unlink(temporary) }
            throw error
        }
        var warnings: [String] = settings.media.conformanceWarning.map { [$0] } ?? []
        if isImageFile {
            // The after-check: the names on the disc are exactly the ones planned.
            do {
                let written = try ISOImage.open(temporary)
                let actual = Set(written.rawEntries.map(\.identifierPath))
                let expected = plan.expectedIdentifiers(media: settings.media)
                if actual != expected {
                    let wrong = actual.subtracting(expected).sorted().prefix(10)
                    throw MediaError.io("libisofs changed names: \(wrong.joined(separator: ", ")) (expected \(expected.subtracting(actual).sorted().prefix(10).joined(separator: ", ")))")
                }
                warnings += written.volumeID == plan.fileSetID ? [] : ["Volume Identifier is \"\(written.volumeID)\", not the File-set ID"]
            } catch {
                unlink(temporary)
                throw error
            }
            guard rename(temporary, target) == 0 else {
                let why = systemErrorText()
                unlink(temporary)
                throw MediaError.io("cannot rename the finished image to \(target): \(why)")
            }
        }
        return Result(image: output, media: settings.media, volumeID: plan.fileSetID, files: plan.files.count,
                      directories: plan.directories.count, bytes: outcome.bytes, seconds: outcome.seconds,
                      md5: settings.md5, warnings: warnings)
    }

    /// An empty image attached to a blank drive. Library thread only.
    static func newImage(on drive: AcquiredDrive, volumeID: String) throws -> OpaquePointer {
        var ropts: OpaquePointer?
        guard isoburn_ropt_new(&ropts, 0) == 1, let ropts else { throw MediaError.library("cannot create read options") }
        defer { var o: OpaquePointer? = ropts; isoburn_ropt_destroy(&o, 0) }
        isoburn_ropt_set_extensions(ropts, isoburn_ropt_pretend_blank | isoburn_ropt_noacl | isoburn_ropt_noea)
        var image: OpaquePointer?
        guard isoburn_read_image(drive.drive, ropts, &image) == 1, let image else {
            throw MediaError.library("cannot start a new image on \(drive.address)\(LibraryMessage.summary(LibraryMessage.drain()))")
        }
        iso_image_set_volume_id(image, volumeID)
        return image
    }
}

/// Adds a plan's folders and files to an image tree, keeping each source's times.
struct TreeBuilder {
    let image: OpaquePointer
    private var directories: [String: OpaquePointer] = [:]

    init(image: OpaquePointer) {
        self.image = image
        directories[""] = iso_image_get_root(image)
    }

    mutating func add(_ plan: MasterPlan) throws {
        for dir in plan.directories { try directory(dir.path, source: dir.source) }
        for file in plan.files {
            guard let source = file.source else { continue }
            try addFile(file.path, source: source)
        }
    }

    /// The image directory at `path`, creating it (and its parents) when missing.
    @discardableResult
    mutating func directory(_ path: String, source: String? = nil) throws -> OpaquePointer {
        if let d = directories[path] { return d }
        let (parentPath, name) = split(path)
        let parent = try directory(parentPath)
        var node: OpaquePointer?
        if iso_image_path_to_node(image, "/" + path, &node) == 1, let node, iso_node_get_type(node) == LIBISO_DIR {
            directories[path] = node
            return node
        }
        var dir: OpaquePointer?
        let rc = iso_tree_add_new_dir(parent, name, &dir)
        guard rc >= 0, let dir else { throw MediaError.library("cannot add folder \(path) to the image (libisofs error \(String(rc, radix: 16)))") }
        if let source {
            var st = stat()
            if stat(source, &st) == 0 {
                iso_node_set_mtime(dir, st.st_mtim.tv_sec)
                iso_node_set_atime(dir, st.st_atim.tv_sec)
                iso_node_set_ctime(dir, st.st_ctim.tv_sec)
            }
        }
        iso_node_set_permissions(dir, 0o555)
        directories[path] = dir
        return dir
    }

    /// Adds one file, replacing a node of the same name (a new DICOMDIR over the old one).
    mutating func addFile(_ path: String, source: String) throws {
        let (parentPath, name) = split(path)
        let parent = try directory(parentPath)
        var old: OpaquePointer?
        if iso_dir_get_node(parent, name, &old) == 1, let old { iso_node_remove(old) }
        var node: OpaquePointer?
        let rc = iso_tree_add_new_node(image, parent, name, source, &node)
        guard rc >= 0, let node else {
            throw MediaError.io("cannot add \(source) to the image\(LibraryMessage.summary(LibraryMessage.drain())) (libisofs error \(String(UInt32(bitPattern: rc), radix: 16)))")
        }
        iso_node_set_permissions(node, 0o444)
    }

    private func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }
}
