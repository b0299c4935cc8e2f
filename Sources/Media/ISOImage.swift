import DICOM
import CIsoBurn
import FileSet
import Foundation

/// An ISO 9660 image (file or drive) read through libisofs without mounting: its raw ISO 9660
/// names, its Rock Ridge and Joliet names when present, where each file's bytes lie, and the
/// MD5s libisofs recorded. Loaded once; afterwards plain data, safe to share.
public final class ISOImage: Sendable {
    public struct Entry: Sendable {
        /// The path as recorded, components with their `;1` (`DICOM/P0000001/I0000001.;1`).
        public var identifierPath: String
        /// The File ID path the identifiers stand for (`DICOM/P0000001/I0000001`).
        public var path: String
        public var isDirectory: Bool
        public var size: Int64
        /// First 2048-byte block; nil for directories and files of several extents.
        public var block: UInt32?
    }

    public let location: String
    public let volumeID: String
    public let rawEntries: [Entry]
    /// Names in the Rock Ridge tree (when present), keyed by the first block of each file.
    public let rockRidgeNames: [UInt32: String]
    public let jolietNames: [UInt32: String]
    public let hasRockRidge: Bool
    public let hasJoliet: Bool
    /// Recorded per-file MD5s, keyed by first block.
    public let fileMD5: [UInt32: [UInt8]]
    /// The session MD5: blocks [start, end) and their checksum.
    public let sessionMD5: (start: UInt32, end: UInt32, md5: [UInt8])?
    /// Set when the tree loaded only without its checksum tags (a damaged image).
    public let treeProblem: String?
    /// The device or file holding the blocks, for reading file contents.
    let devicePath: String

    /// Opens an image file, a `stdio:` address or an optical drive (/dev/sr0).
    public static func open(_ path: String) throws -> ISOImage {
        let address = driveAddress(path)
        let device = address.hasPrefix("stdio:") ? String(address.dropFirst(6)) : address
        // An image file's tree is checked by us first: libisofs loops forever on some
        // crafted trees (see ISOTreeCheck).
        do { try ISOTreeCheck.check(path: device) } catch let f as ISOTreeCheck.Failure { throw MediaError.unusable(f.description) }
        let watchdog = loadLimits.map { LoadWatchdog(what: path, limits: $0) }
        defer { watchdog?.stop() }
        return try LibraryThread.shared.run { lib in
            let drive = try AcquiredDrive(lib, address: address, flags: [.noACL, .noXattr, .noTOCEmulation])
            defer { drive.release() }
            let status = drive.status
            guard status == BURN_DISC_APPENDABLE || status == BURN_DISC_FULL else {
                throw MediaError.unusable("\(path): no ISO 9660 file system (the medium is \(status.word))")
            }
            let raw = try Tree.load(drive, extensions: isoburn_ropt_norock | isoburn_ropt_nojoliet | isoburn_ropt_map_unmapped, what: path)
            let rock = raw.hasRockRidge ? try Tree.load(drive, extensions: 0, what: path) : nil
            let joliet = raw.hasJoliet ? try Tree.load(drive, extensions: isoburn_ropt_norock | isoburn_ropt_preferjoliet, what: path) : nil
            return ISOImage(location: path, device: device, raw: raw, rock: rock, joliet: joliet)
        }
    }

    private init(location: String, device: String, raw: Tree, rock: Tree?, joliet: Tree?) {
        self.location = location
        devicePath = device
        volumeID = raw.volumeID
        rawEntries = raw.entries
        hasRockRidge = raw.hasRockRidge
        hasJoliet = raw.hasJoliet
        func names(_ tree: Tree?) -> [UInt32: String] {
            var out: [UInt32: String] = [:]
            for e in tree?.entries ?? [] where !e.isDirectory && e.size > 0 { if let b = e.block { out[b] = e.identifierPath } }
            return out
        }
        rockRidgeNames = names(rock)
        jolietNames = names(joliet)
        fileMD5 = rock?.md5 ?? raw.md5
        sessionMD5 = raw.sessionMD5 ?? rock?.sessionMD5
        treeProblem = raw.loadProblem ?? rock?.loadProblem
    }

    /// One reading of the tree with the given name mapping. Library thread only.
    struct Tree {
        var volumeID = ""
        var entries: [Entry] = []
        var md5: [UInt32: [UInt8]] = [:]
        var sessionMD5: (start: UInt32, end: UInt32, md5: [UInt8])?
        var hasRockRidge = false
        var hasJoliet = false
        var loadProblem: String?

        static func load(_ drive: AcquiredDrive, extensions: Int32, what: String) throws -> Tree {
            var ropts: OpaquePointer?
            guard isoburn_ropt_new(&ropts, 0) == 1, let ropts else { throw MediaError.library("cannot create read options") }
            defer { var o: OpaquePointer? = ropts; isoburn_ropt_destroy(&o, 0) }
            isoburn_ropt_set_extensions(ropts, extensions | isoburn_ropt_noacl | isoburn_ropt_noea)
            // Only the tree is read through libisofs (file bytes come by pread), so its data
            // cache needs one block: libisoburn 1.5.4 keeps that cache after the drive is
            // released (4 MB per image read by default; the fuzzer ran out of memory on it).
            isoburn_ropt_set_data_cache(ropts, 1, 1, 0)
            var image: OpaquePointer?
            var tree = Tree()
            if isoburn_read_image(drive.drive, ropts, &image) != 1 {
                // A damaged tree fails its checksum and libisofs refuses to load it; load it
                // without the checksum tags so the damage can be reported, not just refused.
                let first = LibraryMessage.summary(LibraryMessage.drain())
                // A failed read may still hand back an image reference: released, not overwritten.
                if let failed = image { iso_image_unref(failed); image = nil }
                isoburn_ropt_set_extensions(ropts, extensions | isoburn_ropt_noacl | isoburn_ropt_noea | isoburn_ropt_nomd5tag)
                guard isoburn_read_image(drive.drive, ropts, &image) == 1 else {
                    if let failed = image { iso_image_unref(failed); image = nil }
                    throw MediaError.unusable("\(what): cannot read the ISO 9660 tree\(first)")
                }
                tree.loadProblem = "the image tree did not load with its checksums\(first)"
            }
            guard let image else { throw MediaError.unusable("\(what): cannot read the ISO 9660 tree") }
            defer { iso_image_unref(image) }
            // libisoburn answers a medium without a file system with a new, empty image.
            let messages = LibraryMessage.drain()
            if messages.contains(where: { $0.text.contains("No ISO 9660 image") }) {
                throw MediaError.unusable("\(what): no ISO 9660 file system found")
            }
            var size: UInt32 = 0
            var has: Int32 = 0
            isoburn_ropt_get_size_what(ropts, &size, &has)
            tree.hasRockRidge = has & isoburn_ropt_has_rockridge != 0
            tree.hasJoliet = has & isoburn_ropt_has_joliet != 0
            tree.volumeID = iso_image_get_volume_id(image).map { String(cString: $0) } ?? ""
            var start: UInt32 = 0, end: UInt32 = 0
            var digest = [CChar](repeating: 0, count: 16)
            if iso_image_get_session_md5(image, &start, &end, &digest, 0) == 1 {
                tree.sessionMD5 = (start, end, digest.map { UInt8(bitPattern: $0) })
            }
            tree.walk(image, iso_image_get_root(image), prefix: "", depth: 0)
            _ = LibraryMessage.drain()
            return tree
        }

        private mutating func walk(_ image: OpaquePointer, _ dir: OpaquePointer?, prefix: String, depth: Int) {
            guard depth < 64 else { return }
            var iter: OpaquePointer?
            guard iso_dir_get_children(dir, &iter) == 1, let iter else { return }
            defer { iso_dir_iter_free(iter) }
            var children: [(String, OpaquePointer)] = []
            var node: OpaquePointer?
            while iso_dir_iter_next(iter, &node) == 1, let n = node {
                children.append((iso_node_get_name(n).map { String(cString: $0) } ?? "", n))
            }
            for (name, n) in children.sorted(by: { $0.0 < $1.0 }) {
                let identifierPath = prefix.isEmpty ? name : prefix + "/" + name
                switch iso_node_get_type(n) {
                case LIBISO_DIR:
                    entries.append(Entry(identifierPath: identifierPath, path: mappedPath(identifierPath), isDirectory: true, size: 0, block: nil))
                    walk(image, n, prefix: identifierPath, depth: depth + 1)
                case LIBISO_FILE:
                    var lba: UInt32 = 0
                    let single = iso_file_get_old_image_lba(n, &lba, 0) == 1
                    let size = Int64(iso_file_get_size(n))
                    entries.append(Entry(identifierPath: identifierPath, path: mappedPath(identifierPath), isDirectory: false, size: size, block: single ? lba : nil))
                    var digest = [CChar](repeating: 0, count: 16)
                    if single, size > 0, iso_file_get_md5(image, n, &digest, 0) == 1 { md5[lba] = digest.map { UInt8(bitPattern: $0) } }
                default:
                    break   // symbolic links and special files carry no DICOM content
                }
            }
        }

        private func mappedPath(_ identifierPath: String) -> String {
            identifierPath.split(separator: "/").map { ISONames.fileIDComponent(String($0)) }.joined(separator: "/")
        }
    }
}

/// Bounds on libisofs's reading of a tree: it cannot be interrupted, so a load that runs
/// past them ends the process with a message (exit status 2). Our tree check comes first and
/// catches the crafted trees known to make libisofs loop; this is the guard for the rest. A
/// command-line program sets it (`ISOImage.loadLimits`); a library user decides for itself.
public struct ISOLoadLimits: Sendable {
    public var seconds: Double
    public var residentBytes: Int
    public init(seconds: Double = 120, residentBytes: Int = 4 << 30) {
        self.seconds = seconds
        self.residentBytes = residentBytes
    }
}

/// Ends the process when libisofs, which cannot be interrupted, loops or grows on a crafted
/// tree. `@unchecked Sendable`: `done` is its only mutable state and is read and written under
/// `lock`.
final class LoadWatchdog: @unchecked Sendable {
    // `done` is written once by stop() and read by the watchdog thread under the lock.
    private let lock = NSLock()
    private var done = false

    init(what: String, limits: ISOLoadLimits) {
        let start = Date()
        @Sendable func check() {
            let rss = LoadWatchdog.residentBytes()
            let elapsed = Date().timeIntervalSince(start)
            guard elapsed > limits.seconds || rss > limits.residentBytes else { return }
            let why = elapsed > limits.seconds ? "took longer than \(Int(limits.seconds)) s" : "grew past \(limits.residentBytes >> 20) MB"
            let text = "dicomfs: error: \(what): reading its ISO 9660 tree \(why); the image is damaged or crafted to make readers loop (libisofs cannot be interrupted)\n"
            _ = text.withCString { write(2, $0, strlen($0)) }
            _exit(2)
        }
        check()
        Thread.detachNewThread { [self] in
            while true {
                usleep(100_000)
                lock.lock(); let finished = done; lock.unlock()
                if finished { return }
                check()
            }
        }
    }

    func stop() { lock.lock(); done = true; lock.unlock() }

    static func residentBytes() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0, resident = 0
        guard fscanf_statm(f, &size, &resident) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_statm(_ f: UnsafeMutablePointer<FILE>, _ size: inout Int, _ resident: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, 128, f) != nil else { return false }
        let fields = String(cBuffer: buffer).split(separator: " ")
        guard fields.count >= 2, let s = Int(fields[0]), let r = Int(fields[1]) else { return false }
        size = s; resident = r
        return true
    }
}

extension ISOImage {
    /// Set by the command-line program: see `ISOLoadLimits`. Nil (the default): no bound.
    nonisolated(unsafe) public static var loadLimits: ISOLoadLimits?

    /// True for what `ls` and `verify` read as a disc: a `stdio:` address, a block device
    /// (/dev/sr0), or a file with an ISO 9660 volume descriptor ("CD001" at byte 32769).
    public static func isImage(_ path: String) -> Bool {
        if path.hasPrefix("stdio:") { return true }
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        if st.st_mode & S_IFMT == S_IFBLK { return true }
        guard st.st_mode & S_IFMT == S_IFREG, st.st_size >= 34816 else { return false }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 5)
        return pread(fd, &magic, 5, 32769) == 5 && magic.elementsEqual("CD001".utf8)
    }
}
