import DICOM
import CIsoBurn
import FileSet
import Foundation

/// What a drive holds, for `drives` and for the checks before a burn.
public struct DriveInfo: Sendable, Codable {
    public var address: String
    public var vendor: String
    public var model: String
    /// The current medium's profile: "CD-R", "DVD+RW", "BD-R", "stdio file", or empty.
    public var profile: String
    /// blank, appendable, closed, none (no medium), unsuitable, not ready.
    public var status: String
    public var freeBytes: Int64
    public var erasable: Bool
}

/// Lists drives, and writes file-sets or finished images onto them (libburn), refusing
/// closed or too-small media, then reads the written session back to check it.
public enum Burner {
    public struct Options: Sendable {
        public var speed: Double?          // in "×" of the medium; nil = maximum
        public var simulate = false
        public var multiSession = false
        public var eject = false
        public var verify = true
        public var blankFirst = false
        public init() {}
    }

    public struct Result: Sendable, Codable {
        public var drive: String
        public var source: String
        public var bytes: Int64
        public var seconds: Double
        public var simulated: Bool
        public var verified: Bool
        public var findings: [Finding]
    }

    /// Every optical drive libburn finds, plus any addresses given (e.g. stdio: pseudo-drives).
    public static func drives(extra addresses: [String] = []) throws -> [DriveInfo] {
        try LibraryThread.shared.run { lib in
            var scanned: [String] = []
            var infos: UnsafeMutablePointer<burn_drive_info>?
            var count: UInt32 = 0
            while true {
                let rc = burn_drive_scan(&infos, &count)
                if rc != 0 { break }
                usleep(20_000)
            }
            if let infos {
                for i in 0..<Int(count) {
                    var adr = [CChar](repeating: 0, count: 4096)
                    if burn_drive_get_adr(infos + i, &adr) > 0 { scanned.append(String(cBuffer: adr)) }
                }
                burn_drive_info_free(infos)
            }
            _ = LibraryMessage.drain()
            return try (scanned + addresses.map(driveAddress)).map { address in
                let drive = try AcquiredDrive(lib, address: address, flags: [])
                defer { drive.release() }
                return describe(drive)
            }
        }
    }

    static func describe(_ drive: AcquiredDrive) -> DriveInfo {
        let status = drive.status
        var free: Int64 = 0
        if status == BURN_DISC_BLANK || status == BURN_DISC_APPENDABLE, let wo = burn_write_opts_new(drive.drive) {
            free = Int64(isoburn_disc_available_space(drive.drive, wo))
            burn_write_opts_free(wo)
        }
        let profile = drive.profile
        return DriveInfo(address: drive.address, vendor: drive.vendor, model: drive.product,
                         profile: profile.number == 0 ? "" : profile.name, status: status.word,
                         freeBytes: max(0, free), erasable: isoburn_disc_erasable(drive.drive) != 0)
    }

    /// Checks the medium in `address` before writing: present, not closed, blank (or erased
    /// first with `blankFirst`), writable. Library thread only.
    static func prepareMedium(_ lib: LibraryAccess, _ address: String, options: Options) throws -> DriveInfo {
        let drive = try AcquiredDrive(lib, address: address, flags: [.loadTray])
        defer { drive.release() }
        var info = describe(drive)
        switch drive.status {
        case BURN_DISC_BLANK:
            return info
        case BURN_DISC_EMPTY:
            throw MediaError.unusable("\(address): no medium in the drive")
        case BURN_DISC_FULL where !(options.blankFirst && info.erasable),
             BURN_DISC_APPENDABLE where !(options.blankFirst && info.erasable):
            let closed = drive.status == BURN_DISC_FULL
            throw MediaError.unusable("\(address): the \(info.profile.isEmpty ? "medium" : info.profile) is \(closed ? "closed (written and finalized)" : "not blank (it holds data)"); "
                + (info.erasable ? "use --blank-first to erase it" : closed ? "use a blank disc" : "use `dicomfs add --media` to append a session, or a blank disc"))
        case BURN_DISC_FULL, BURN_DISC_APPENDABLE:
            isoburn_disc_erase(drive.drive, 1)
            var p = burn_progress()
            while burn_drive_get_status(drive.drive, &p) != BURN_DRIVE_IDLE { usleep(100_000) }
            let messages = LibraryMessage.drain()
            drive.release()
            // Look again with a fresh acquisition: the status libisoburn cached predates the erase.
            let again = try AcquiredDrive(lib, address: address, flags: [])
            defer { again.release() }
            guard again.status == BURN_DISC_BLANK else {
                throw MediaError.io("\(address): erasing failed\(LibraryMessage.summary(messages))")
            }
            info.status = "blank"
            return info
        default:
            throw MediaError.unusable("\(address): the medium is \(drive.status.word) (profile \(info.profile))")
        }
    }

    /// Burns a file-set folder (mastered on the fly) onto the drive.
    public static func burn(fileSet plan: MasterPlan, to address: String, settings: ImageSettings, options: Options,
                            progress: ((WriteProgress) -> Void)? = nil) throws -> Result {
        let address = driveAddress(address)
        _ = try LibraryThread.shared.run { lib in try prepareMedium(lib, address, options: options) }
        var write = WriteControl()
        write.multiSession = options.multiSession
        write.simulate = options.simulate
        write.speed = options.speed
        let mastered = try ISOMaster.master(plan, to: address, settings: settings, control: write, progress: progress)
        return try finish(address, source: plan.files.first.map { _ in "file-set" } ?? "", bytes: mastered.bytes,
                          seconds: mastered.seconds, options: options)
    }

    static func finish(_ address: String, source: String, bytes: Int64, seconds: Double, options: Options) throws -> Result {
        var findings: [Finding] = []
        if options.verify && !options.simulate {
            // Read the written session back, through libisofs, with every check verify makes.
            findings = try ISOVerifier.verify(address).findings.filter { $0.severity == .error }
            if !findings.isEmpty {
                throw MediaError.io("the written disc does not verify:\n  " + findings.map(\.description).joined(separator: "\n  "))
            }
        }
        if options.eject {
            try LibraryThread.shared.run { lib in
                let drive = try AcquiredDrive(lib, address: address, flags: [])
                drive.release(eject: true)
            }
        }
        return Result(drive: address, source: source, bytes: bytes, seconds: seconds, simulated: options.simulate,
                      verified: options.verify && !options.simulate, findings: findings)
    }
}

extension Burner {
    /// Burns a finished ISO image as one data track (CD gets libburn's customary 300 KiB of
    /// padding), then checks what was written.
    public static func burn(image path: String, to address: String, options: Options,
                            progress: ((WriteProgress) -> Void)? = nil) throws -> Result {
        let address = driveAddress(address)
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw MediaError.unusable("\(path): cannot read the image (\(systemErrorText()))")
        }
        let size = Int64(st.st_size)
        let outcome: SessionWriter.Outcome = try LibraryThread.shared.run { lib in
            let info = try prepareMedium(lib, address, options: options)
            if info.freeBytes > 0 && size > info.freeBytes {
                throw MediaError.unusable("\(path) needs \(megabytes(size)) but the \(info.profile.isEmpty ? "medium" : info.profile) in \(address) has \(megabytes(info.freeBytes)) free; nothing was written")
            }
            let drive = try AcquiredDrive(lib, address: address, flags: [.overwritableIsBlank])
            defer { drive.release() }
            return try writeTrack(from: path, size: size, on: drive, options: options, progress: progress)
        }
        return try finish(address, source: path, bytes: outcome.bytes, seconds: outcome.seconds, options: options)
    }

    private static func writeTrack(from path: String, size: Int64, on drive: AcquiredDrive, options: Options,
                                   progress: ((WriteProgress) -> Void)?) throws -> SessionWriter.Outcome {
        guard let file = burn_file_source_new(path, nil) else { throw MediaError.io("cannot open \(path) for burning") }
        defer { burn_source_free(file) }
        guard let fifo = burn_fifo_source_new(file, 2048, 2048, 0) else { throw MediaError.library("cannot create the burn fifo") }
        defer { burn_source_free(fifo) }
        let disc = burn_disc_create(), session = burn_session_create(), track = burn_track_create()
        defer { burn_track_free(track); burn_session_free(session); burn_disc_free(disc) }
        let isCD = (0x08...0x0a).contains(drive.profile.number)
        burn_track_define_data(track, 0, isCD ? 300 * 1024 : 0, 1, BURN_MODE1)
        guard burn_track_set_source(track, fifo) == BURN_SOURCE_OK else { throw MediaError.library("cannot attach \(path) to the track") }
        burn_session_add_track(session, track, UInt32(BURN_POS_END))
        burn_disc_add_session(disc, session, UInt32(BURN_POS_END))
        guard let wo = burn_write_opts_new(drive.drive) else { throw MediaError.library("cannot create write options") }
        defer { burn_write_opts_free(wo) }
        var caps: UnsafeMutablePointer<burn_multi_caps>?
        _ = burn_disc_get_multi_caps(drive.drive, BURN_WRITE_NONE, &caps, 0)
        let canMulti = caps?.pointee.multi_session == 1, canSimulate = caps?.pointee.might_simulate == 1
        burn_disc_free_multi_caps(&caps)
        // Overwritable media (DVD-RAM, DVD+RW, DVD-RW restricted overwrite, BD-RE) and stdio:
        // files have no sessions of their own: libisoburn emulates them when an image is grown
        // (add --media, xorriso), so --multi is met by writing the image as it is.
        let overwritable = drive.role != 1 || [0x12, 0x13, 0x1a, 0x43].contains(drive.profile.number)
        if options.multiSession && !canMulti && !overwritable {
            throw MediaError.unusable("\(drive.address): this medium cannot be left open for more sessions (--multi); libburn reports no multi-session capability")
        }
        if options.simulate && !canSimulate { throw MediaError.unusable("\(drive.address): this drive and medium cannot simulate a write (--dummy)") }
        burn_write_opts_set_multi(wo, options.multiSession && canMulti ? 1 : 0)
        burn_write_opts_set_simulate(wo, options.simulate ? 1 : 0)
        burn_write_opts_set_underrun_proof(wo, 1)
        burn_write_opts_set_stdio_fsync(wo, 0)
        burn_drive_set_speed(drive.drive, 0, options.speed.map { Int32($0 * drive.kilobytesPerX) } ?? 0)
        var reasons = [CChar](repeating: 0, count: Int(BURN_REASONS_LEN))
        guard burn_write_opts_auto_write_type(wo, disc, &reasons, 0) != BURN_WRITE_NONE else {
            throw MediaError.unusable("\(drive.address): no usable write mode (\(String(cBuffer: reasons)))")
        }
        let start = Date()
        burn_disc_write(wo, disc)
        var p = burn_progress()
        var collected: [LibraryMessage] = []
        var cancelled = false
        while burn_drive_get_status(drive.drive, nil) == BURN_DRIVE_SPAWNING { usleep(20_000) }
        while burn_drive_get_status(drive.drive, &p) != BURN_DRIVE_IDLE {
            collected += LibraryMessage.drain()
            if Cancellation.isRequested && !cancelled { burn_drive_cancel(drive.drive); cancelled = true }
            if p.sectors > 0 {
                progress?(WriteProgress(bytesDone: Int64(p.sector) * 2048, bytesTotal: Int64(p.sectors) * 2048, seconds: -start.timeIntervalSinceNow))
            }
            usleep(100_000)
        }
        let wroteWell = burn_drive_wrote_well(drive.drive) == 1
        let messages = waitForWriteThread(collected: collected + LibraryMessage.drain())
        if cancelled { throw MediaError.cancelled("burning to \(drive.address) was cancelled") }
        let problems = LibraryMessage.summary(messages)
        guard wroteWell && problems.isEmpty else { throw MediaError.io("burning to \(drive.address) failed\(problems)") }
        return SessionWriter.Outcome(bytes: size, seconds: -start.timeIntervalSinceNow)
    }
}
