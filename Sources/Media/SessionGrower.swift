import CIsoBurn
import FileSet
import Foundation

/// The File-set Updater on write-once media: reads the last session of a disc or image, adds
/// the new instances under the layout rules, and appends one new session holding them and a
/// complete new DICOMDIR (same File-set UID). The old session's files stay where they are;
/// the new directory tree points at them (libisoburn growing, PS3.12 F.2.1.2).
public enum SessionGrower {
    public struct Result: Sendable, Codable {
        public var update: UpdateReport
        public var sessionBytes: Int64
        public var findings: [Finding]
    }

    public static func add(media path: String, inputs: [String], options: UpdateOptions, settings: ImageSettings,
                           progress: ((WriteProgress) -> Void)? = nil) throws -> Result {
        let address = driveAddress(path)
        let image = try ISOImage.open(path)
        let storage = try ISOStorage(image)
        let staged = try FileSetUpdater.stageAdd(to: storage, inputs: inputs, options: options)
        if options.dryRun || staged.report.nothingToDo { return Result(update: staged.report, sessionBytes: 0, findings: []) }

        // New names take the form the disc already uses (Annex F `NAME.;1` or Annex P `NAME;1`).
        var settings = settings
        let cdForm = image.rawEntries.contains { $0.identifierPath == "DICOMDIR.;1" }
        settings.media = cdForm ? .cd : (settings.media == .cd ? .dvd : settings.media)
        let used = Int64(image.rawEntries.compactMap { e in e.block.map { Int64($0) * 2048 + e.size } }.max() ?? 0)
        if let total = settings.capacity ?? settings.media.capacity { settings.capacity = max(0, total - used) }

        // The new DICOMDIR is written next to an image file, or in the temporary folder for a drive.
        let scratch = try TemporaryFolder(near: address.hasPrefix("stdio:") ? String(address.dropFirst(6)) : NSTemporaryDirectory() + "/dicomfs")
        defer { scratch.remove() }
        let dicomdirPath = scratch.path + "/DICOMDIR"
        guard FileManager.default.createFile(atPath: dicomdirPath, contents: Data(staged.dicomdir)) else {
            throw MediaError.io("cannot write \(dicomdirPath)")
        }
        let outcome: SessionWriter.Outcome = try LibraryThread.shared.run { lib in
            // Without the emulated table of contents, as ISOImage.open reads it: growing needs
            // only the newest session, and a crafted chain of older ones made libisoburn spin.
            let drive = try AcquiredDrive(lib, address: address, flags: [.noACL, .noXattr, .noTOCEmulation])
            defer { drive.release() }
            guard drive.status == BURN_DISC_APPENDABLE else {
                throw MediaError.unusable("\(path): the medium is \(drive.status.word); a session can be added only to an appendable disc (written with `burn --multi`) or an image file")
            }
            var ropts: OpaquePointer?
            guard isoburn_ropt_new(&ropts, 0) == 1, let ropts else { throw MediaError.library("cannot create read options") }
            defer { var o: OpaquePointer? = ropts; isoburn_ropt_destroy(&o, 0) }
            isoburn_ropt_set_extensions(ropts, isoburn_ropt_noacl | isoburn_ropt_noea)
            var old: OpaquePointer?
            guard isoburn_read_image(drive.drive, ropts, &old) == 1, let old else {
                throw MediaError.unusable("\(path): cannot read the last session\(LibraryMessage.summary(LibraryMessage.drain()))")
            }
            defer { iso_image_unref(old) }
            var tree = TreeBuilder(image: old)
            for c in staged.copies { try tree.addFile(c.fileID.path, source: absolutePath(c.source)) }
            try tree.addFile("DICOMDIR", source: dicomdirPath)
            var control = WriteControl()
            control.multiSession = true
            return try SessionWriter.write(drive, image: old, settings: settings, control: control, target: path, progress: progress)
        }
        // The new session, read back: every check verify makes, plus the MD5s.
        let findings = try ISOVerifier.verify(path).findings.filter { $0.severity == .error }
        return Result(update: staged.report, sessionBytes: outcome.bytes, findings: findings)
    }
}
