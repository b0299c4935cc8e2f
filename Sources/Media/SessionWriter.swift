import CIsoBurn
import Foundation

/// How the ISO 9660 tree is written: the PS3.12 form for the medium, extensions, checksums.
public struct ImageSettings: Sendable {
    public var media: MediaKind = .cd
    public var rockRidge = true
    public var joliet = false
    /// Session MD5 and per-file MD5s (libisofs AAIP; per-file MD5s need Rock Ridge).
    public var md5 = true
    /// Overrides the medium's nominal capacity (bytes).
    public var capacity: Int64?

    public init() {}

    var extensions: Int32 {
        var e: Int32 = 0
        if rockRidge { e |= isoburn_igopt_rockridge | isoburn_igopt_aaip }
        if joliet { e |= isoburn_igopt_joliet }
        if md5 { e |= isoburn_igopt_session_md5 | isoburn_igopt_file_md5 }
        return e
    }

    /// Level 1 with nothing relaxed except what the PS3.12 form needs; directory records
    /// carry the source times (Recording Date and Time = file times).
    var relaxed: Int32 {
        var r: Int32 = isoburn_igopt_dir_rec_mtime | isoburn_igopt_always_gmt
        if !media.keepsDot { r |= isoburn_igopt_no_force_dots }
        if joliet { r |= isoburn_igopt_no_j_force_dots }
        return r
    }
}

/// How the write itself runs: sessions left open, simulation, speed.
public struct WriteControl: Sendable {
    public var multiSession = false
    public var simulate = false
    /// In × of the medium (CD 176.4 kB/s, DVD 1,385 kB/s, BD 4,496 kB/s); nil = maximum.
    public var speed: Double?
    public init() {}
}

/// Writes the image a drive holds (its tree edited through libisofs) as a session: the one
/// place that prepares, checks capacity, writes, polls and finishes. Library thread only.
enum SessionWriter {
    struct Outcome {
        var bytes: Int64
        var seconds: Double
    }

    static func write(_ drive: AcquiredDrive, image: OpaquePointer, settings: ImageSettings, control: WriteControl = WriteControl(),
                      target: String, progress: ((WriteProgress) -> Void)?) throws -> Outcome {
        var opts: OpaquePointer?
        guard isoburn_igopt_new(&opts, 0) == 1, let opts else { throw MediaError.library("cannot create image options") }
        defer { var o: OpaquePointer? = opts; isoburn_igopt_destroy(&o, 0) }
        isoburn_igopt_set_level(opts, 1)
        isoburn_igopt_set_extensions(opts, settings.extensions)
        isoburn_igopt_set_relaxed(opts, settings.relaxed)
        iso_image_update_sizes(image)

        var disc: OpaquePointer?
        guard isoburn_prepare_disc(drive.drive, &disc, opts) == 1, let disc else {
            throw MediaError.io("cannot prepare the image for \(target)\(LibraryMessage.summary(LibraryMessage.drain()))")
        }
        defer { burn_disc_free(disc) }
        guard let writeOpts = burn_write_opts_new(drive.drive) else {
            isoburn_cancel_prepared_write(drive.drive, nil, 0)
            throw MediaError.library("cannot create write options")
        }
        burn_write_opts_set_multi(writeOpts, control.multiSession ? 1 : 0)
        burn_write_opts_set_underrun_proof(writeOpts, 1)
        if control.simulate {
            var caps: UnsafeMutablePointer<burn_multi_caps>?
            let canSimulate = burn_disc_get_multi_caps(drive.drive, BURN_WRITE_NONE, &caps, 0) > 0 && caps?.pointee.might_simulate == 1
            burn_disc_free_multi_caps(&caps)
            guard canSimulate else {
                isoburn_cancel_prepared_write(drive.drive, nil, 0)
                burn_write_opts_free(writeOpts)
                throw MediaError.unusable("\(target): this drive and medium cannot simulate a write (--dummy)")
            }
            burn_write_opts_set_simulate(writeOpts, 1)
        }
        burn_drive_set_speed(drive.drive, 0, control.speed.map { Int32($0 * drive.kilobytesPerX) } ?? 0)
        burn_write_opts_set_stdio_fsync(writeOpts, 0)

        // Capacity, before a byte is written: the medium's nominal size and what the drive
        // (or the file system under an image file) actually has free.
        let bytes = Int64(burn_disc_get_sectors(disc)) * 2048
        let free = Int64(isoburn_disc_available_space(drive.drive, writeOpts))
        let limits: [(String, Int64)] = [
            settings.capacity.map { ("the capacity you set", $0) } ?? settings.media.capacity.map { ("a \(settings.media.rawValue.uppercased())", $0) },
            free > 0 ? ("the free space on \(target)", free) : nil,
        ].compactMap { $0 }
        if let (what, limit) = limits.first(where: { bytes > $0.1 }) {
            isoburn_cancel_prepared_write(drive.drive, nil, 0)
            burn_write_opts_free(writeOpts)
            throw MediaError.unusable("the image needs \(megabytes(bytes)) (\(bytes / 2048) sectors) but \(what) holds \(megabytes(limit)); nothing was written")
        }

        let start = Date()
        isoburn_disc_write(writeOpts, disc)
        burn_write_opts_free(writeOpts)
        var p = burn_progress()
        while burn_drive_get_status(drive.drive, nil) == BURN_DRIVE_SPAWNING { usleep(20_000) }
        var cancelled = false
        var collected: [LibraryMessage] = []
        while burn_drive_get_status(drive.drive, &p) != BURN_DRIVE_IDLE {
            collected += LibraryMessage.drain()
            if Cancellation.isRequested && !cancelled {
                burn_drive_cancel(drive.drive)
                cancelled = true
            }
            if p.sectors > 0 {
                progress?(WriteProgress(bytesDone: Int64(p.sector) * 2048, bytesTotal: Int64(p.sectors) * 2048, seconds: -start.timeIntervalSinceNow))
            }
            usleep(100_000)
        }
        // wrote_well alone is not enough: a write refused at its start ("a drive operation is
        // still going on") leaves it set, so any SORRY or worse message also means failure.
        let wroteWell = isoburn_drive_wrote_well(drive.drive) == 1
        if wroteWell && !cancelled { isoburn_activate_session(drive.drive) }
        // Always let libisofs end its threads, or the next write finds the drive "busy".
        isoburn_sync_after_write(drive.drive, nil, 0)
        let messages = waitForWriteThread(collected: collected + LibraryMessage.drain())
        if cancelled { throw MediaError.cancelled("writing to \(target) was cancelled") }
        let problems = LibraryMessage.summary(messages)
        guard wroteWell && problems.isEmpty else { throw MediaError.io("writing to \(target) failed\(problems)") }
        progress?(WriteProgress(bytesDone: bytes, bytesTotal: bytes, seconds: -start.timeIntervalSinceNow))
        return Outcome(bytes: bytes, seconds: -start.timeIntervalSinceNow)
    }
}

/// libburn reports the drive idle before its write thread has ended; a write started before
/// that is refused ("a drive operation is still going on"), even on another drive. The thread
/// announces its end in a DEBUG message (libburn 1.5.4); wait for it, at most 10 s.
func waitForWriteThread(collected: [LibraryMessage]) -> [LibraryMessage] {
    var messages = collected
    for _ in 0..<200 {
        if messages.contains(where: { $0.text.hasPrefix("Write thread on drive") }) { break }
        usleep(50_000)
        messages += LibraryMessage.drain()
    }
    return messages
}

func megabytes(_ bytes: Int64) -> String {
    bytes >= 10_000_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
}
