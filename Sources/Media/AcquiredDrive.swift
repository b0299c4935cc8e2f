import DICOM
import CIsoBurn
import Foundation

/// A drive held through libisoburn: a real optical drive, or a `stdio:` pseudo-drive (an image
/// file, /dev/null). Made only on the library thread (it takes that thread's `LibraryAccess`),
/// and released when the last reference goes (`deinit`) if not before.
final class AcquiredDrive {
    let address: String
    private var infos: UnsafeMutablePointer<burn_drive_info>?
    let drive: OpaquePointer

    /// libisoburn flags for `isoburn_drive_aquire`, named.
    struct Flags: OptionSet {
        let rawValue: Int32
        static let loadTray = Flags(rawValue: 1)
        static let overwritableIsBlank = Flags(rawValue: 2)
        /// No table of contents emulated for overwritable media and image files: libisoburn
        /// would walk the chain of older sessions, and a crafted chain makes it spin for minutes.
        /// Reading needs only the newest tree, which the superblock at block 0 points to.
        static let noTOCEmulation = Flags(rawValue: 16)
        static let noACL = Flags(rawValue: 32)
        static let noXattr = Flags(rawValue: 64)
    }

    init(_ access: LibraryAccess, address: String, flags: Flags) throws {
        self.address = address
        var adr = Array(address.utf8CString)
        var infos: UnsafeMutablePointer<burn_drive_info>?
        let ok = isoburn_drive_aquire(&infos, &adr, flags.rawValue)
        let messages = LibraryMessage.drain()
        guard ok == 1, let infos, let drive = infos.pointee.drive else {
            throw MediaError.io("cannot open drive \(address)\(LibraryMessage.summary(messages))")
        }
        self.infos = infos
        self.drive = drive
    }

    /// Releases the drive; waits until it is idle first (releasing a busy drive is undefined).
    func release(eject: Bool = false) {
        guard let infos else { return }
        while burn_drive_get_status(drive, nil) != BURN_DRIVE_IDLE { usleep(50_000) }
        isoburn_drive_release(drive, eject ? 1 : 0)
        // Forget the drive too: a released stdio drive stays known to libburn, and acquiring
        // the same file again could otherwise see the old medium's size.
        burn_drive_info_forget(infos, 0)
        burn_drive_info_free(infos)
        self.infos = nil
        _ = LibraryMessage.drain()
    }

    deinit { release() }

    var vendor: String { infos.map { fixed($0.pointee.vendor) } ?? "" }
    var product: String { infos.map { fixed($0.pointee.product) } ?? "" }

    /// Current medium profile (0xffff for stdio files) and its name ("CD-R", "DVD+RW", …).
    var profile: (number: Int32, name: String) {
        var number: Int32 = 0
        var name = [CChar](repeating: 0, count: 80)
        _ = burn_disc_get_profile(drive, &number, &name)
        return (number, String(cBuffer: name))
    }

    /// 1× in kB/s for the current medium (CD 176.4, DVD 1,385, BD 4,496).
    var kilobytesPerX: Double {
        let p = profile.number
        if p >= 0x40 && p <= 0x43 { return 4496 }
        if p >= 0x10 && p <= 0x2b { return 1385 }
        return 176.4
    }

    var status: burn_disc_status { isoburn_disc_get_status(drive) }

    /// 0 none, 1 a real MMC drive, 2 a random-access stdio file, 3 a sequential one.
    var role: Int32 { burn_drive_get_drive_role(drive) }

    private func fixed<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }
}

extension burn_disc_status {
    /// The words `drives` prints.
    var word: String {
        switch self {
        case BURN_DISC_BLANK: return "blank"
        case BURN_DISC_APPENDABLE: return "appendable"
        case BURN_DISC_FULL: return "closed"
        case BURN_DISC_EMPTY: return "none"
        case BURN_DISC_UNSUITABLE: return "unsuitable"
        default: return "not ready"
        }
    }
}

/// Progress of a write, for the CLI's bar.
public struct WriteProgress: Sendable {
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var seconds: Double
}

/// Set from a signal handler's dispatch source; the write loops check it and cancel cleanly.
public enum Cancellation {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var flag = false

    public static func request() { lock.withLock { flag = true } }
    public static var isRequested: Bool { lock.withLock { flag } }
}

/// Turns a path or drive name into a libburn address: `stdio:` paths pass through, /dev/…
/// devices are drives, anything else is an image file (absolute, as libburn needs).
public func driveAddress(_ path: String) -> String {
    if path.hasPrefix("stdio:") || path.hasPrefix("/dev/") { return path }
    return "stdio:" + absolutePath(path)
}

func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return FileManager.default.currentDirectoryPath + "/" + path
}
