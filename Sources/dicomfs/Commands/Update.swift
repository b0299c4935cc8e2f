import ArgumentParser
import DICOM
import Foundation
import Imaging
import FileSet
import Media
import WebContent

/// Options shared by add and remove.
struct UpdateFlags: ParsableArguments {
    @Flag(help: "Check and show what would change, write nothing.")
    var dryRun = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Delete the set's web content (INDEX.HTM, README.TXT, IHE_PDI/, VIEWER/) instead of regenerating it.")
    var noWeb = false

    /// Web content follows every committed update: regenerated from the new DICOMDIR (so no
    /// page, rendering or viewer file keeps a removed patient, and added ones appear), or
    /// dropped with --no-web.
    func updateWebContent(_ root: String, _ report: inout UpdateReport) throws {
        guard !dryRun, !report.nothingToDo else { return }
        let present = WebContentWriter.presence(in: root)
        guard present.web || present.viewer else { return }
        do {
            if noWeb {
                let gone = try WebContentWriter.drop(fileSet: root)
                report.notes.append("web content deleted (--no-web): \(gone.count) files")
                return
            }
            let bar = ProgressBar()
            let r = try WebContentWriter.refresh(fileSet: root, viewer: present.viewer) { bar.update($0, $1, $2) }
            bar.finish()
            report.notes.append("web content\(present.viewer ? " and viewer" : "") regenerated from the new DICOMDIR: \(r.written) files written, \(r.deleted.count) old files deleted (--no-web drops it)")
            report.warnings += r.warnings
        } catch let e as WebContentError {
            throw failure(FileSetError.io("web content: \(e)"))
        }
    }
}

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add DICOM files to an existing file-set (File-set Updater).",
        discussion: """
        New instances get File IDs in the folders their patient, study or series already use \
        (new folders otherwise) and records under the existing PATIENT/STUDY/SERIES records, \
        with the same checks as create. Existing files are never modified; the File-set UID and \
        ID are kept; existing instances are not re-scanned. The new files are written and synced \
        first, then the DICOMDIR is replaced atomically. With --media DISC (an ISO image, a \
        stdio: address or an appendable disc in a drive), every argument is a file to add: the \
        last session is read, and a new session with the new files and a complete new DICOMDIR \
        is appended; the old session's files stay where they are.
        """
    )

    @Argument(help: "The file-set folder, then DICOM files or folders to add (with --media: only files).", completion: .file())
    var paths: [String]

    @Option(name: .customLong("media"), help: "Append a session to this disc image or drive instead of updating a folder.", completion: .file())
    var disc: String?

    @Option(help: "PS3.11 profile the added files are checked against (default: the narrowest one every instance in the set satisfies).")
    var profile: ApplicationProfile?

    @Flag(help: "Leave out files whose SOP Instance UID the file-set already holds, instead of refusing.")
    var skipExisting = false

    @Flag(help: "Fill missing Type 1 keys (as create --invent).")
    var invent = false

    @Flag(help: "Leave out every file that cannot go in (each listed with its reason) and add the rest; exit status 1.")
    var skipInvalid = false

    @Flag(help: "Make inconsistencies with the file-set's records errors.")
    var strict = false

    @Flag(help: "Rewrite added instances whose transfer syntax the profile refuses, losslessly, as create --transcode does (the inputs are never changed).")
    var transcode = false

    @Option(help: "With --transcode: the syntax to write instead (a UID the profile allows).")
    var transcodeTo: String?

    @Option(help: "With --transcode: compress images lossily at this quality, 1–100, in the profile's lossy syntax (JPEG Baseline or Extended for the JPEG profiles, JPEG 2000 for the J2K ones), each as a new instance (Image Type DERIVED, new SOP Instance UID, the original in Source Image Sequence, Lossy Image Compression 01 with ratio and method). Never without this option.")
    var allowLossy: Int?

    @OptionGroup var flags: UpdateFlags

    /// The profile the added files must fit: --profile, else the one the set's instances fit.
    func targetProfile() throws -> ApplicationProfile {
        if let profile { return profile }
        let storage: FileSetStorage = try disc.map { try ISOStorage(try ISOImage.open($0)) } ?? FolderStorage(root: paths[0])
        return FileSetUpdater.inferredProfile(try DICOMDIRReader.read(storage: storage).dicomdir)
    }

    /// --transcode: each input mirrored (see TranscodeStage) into `scratch`; the mirrors to
    /// add, and how to name them back in the report.
    func transcoded(_ inputs: [String], scratch: String, progress: @escaping @Sendable (String, Int, Int) -> Void,
                    bytesRead: @escaping @Sendable (Int64) -> Void) throws
        -> (inputs: [String], names: [(mirror: String, original: String)], done: [String], failed: [String]) {
        let profile = try targetProfile()
        var out: [String] = [], names: [(String, String)] = [], done: [String] = [], failed: [String] = []
        for (i, input) in inputs.enumerated() {
            var folder = input
            var single: String?
            var isDirectory: ObjCBool = false
            if !(FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) && isDirectory.boolValue) {
                folder = scratch + "/in\(i)"
                try FileOps.makeDirectories(folder)
                single = lastComponent(input)
                try FileOps.copyFile(from: input, to: folder + "/" + lastComponent(input))
            }
            do {
                let p = try TranscodeStage.prepare(source: folder, profile: profile, scratch: scratch + "/tc\(i)", to: transcodeTo, lossyQuality: allowLossy, progress: progress, bytesRead: bytesRead)
                out.append(single.map { p.source + "/" + $0 } ?? p.source)
                names.append((p.source, single == nil ? input : directoryName(input)))
                done += p.transcoded.map { "\(single == nil ? input + "/" + $0.path : input): \(transcodeNote($0.from, $0.to, allowLossy))" }
                failed += p.failed.map { "\(single == nil ? input + "/" + $0.path : input): \($0.reason)" }
            } catch let e as ImagingError { throw FileSetError.unusableInput("--transcode: \(e)") }
        }
        return (out, names, done, failed)
    }

    func run() throws {
        var options = UpdateOptions()
        options.profile = profile
        options.skipExisting = skipExisting
        options.invent = invent
        options.skipInvalid = skipInvalid
        options.strict = strict
        options.dryRun = flags.dryRun
        let bar = ProgressBar()
        var inputs = disc == nil ? Array(paths.dropFirst()) : paths
        var transcodeScratch: TemporaryFolder?
        defer { transcodeScratch?.remove() }
        var names: [(mirror: String, original: String)] = []
        var transcodeNotes: [String] = []
        if allowLossy != nil && !transcode { throw ValidationError("--allow-lossy needs --transcode") }
        if transcode {
            guard !inputs.isEmpty else { throw ValidationError("give at least one file or folder to add") }
            let scratch = try TemporaryFolder(near: disc == nil ? paths[0] : NSTemporaryDirectory() + "/x")
            transcodeScratch = scratch
            do {
                let t = try transcoded(inputs, scratch: scratch.path, progress: { bar.update($0, $1, $2) }, bytesRead: { bar.read($0) })
                inputs = t.inputs
                names = t.names
                transcodeNotes = t.done.map { "transcoded to Explicit VR Little Endian: " + $0 } + t.failed.map { "not transcoded: " + $0 }
            } catch let e as FileSetError { bar.finish(); throw failure(e) }
        }
        /// Report paths under a mirror named as the user gave them.
        func named(_ r: UpdateReport) -> UpdateReport {
            guard !names.isEmpty else { return r }
            func fix(_ s: String) -> String { names.reduce(s) { $0.replacingOccurrences(of: $1.mirror, with: $1.original) } }
            var r = r
            r.nonDICOM = r.nonDICOM.map { .init(path: fix($0.path), reason: fix($0.reason), rule: $0.rule) }
            r.unusable = r.unusable.map { .init(path: fix($0.path), reason: fix($0.reason), rule: $0.rule) }
            r.leftOut = r.leftOut.map { .init(path: fix($0.path), reason: fix($0.reason), rule: $0.rule) }
            r.skippedExisting = r.skippedExisting.map(fix)
            r.duplicates = r.duplicates.map(fix)
            r.warnings = r.warnings.map(fix)
            r.notes += transcodeNotes
            return r
        }
        if let disc {
            let mediaInputs = inputs
            let result = try mediaOperation {
                defer { bar.finish() }
                return try SessionGrower.add(media: disc, inputs: mediaInputs, options: options, settings: ImageSettings()) {
                    bar.transfer("Writing session", done: $0.bytesDone, total: $0.bytesTotal, seconds: $0.seconds)
                }
            }
            UpdateSummary.print(named(result.update), json: flags.json)
            for f in result.findings { FileHandle.standardError("dicomfs: \(f)") }
            if result.update.hasFindings || !result.findings.isEmpty { throw ExitCode(Exit.findings) }
            return
        }
        guard paths.count >= 2 else { throw ValidationError("give the file-set folder and at least one file or folder to add (or --media DISC and files)") }
        let report: UpdateReport
        do {
            var r = named(try FileSetUpdater.add(fileSet: paths[0], inputs: inputs, options: options) { bar.update($0, $1, $2) })
            bar.finish()
            try flags.updateWebContent(paths[0], &r)
            report = r
        } catch let e as FileSetError {
            bar.finish()
            throw failure(e)
        }
        UpdateSummary.print(report, json: flags.json)
        if report.hasFindings { throw ExitCode(Exit.findings) }
    }
}

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove instances from a file-set (File-set Updater).",
        discussion: """
        Removes the selected instances' records, then records left without children, writes a \
        compact DICOMDIR atomically, and only then deletes the files and empty folders.
        """
    )

    @Argument(help: "The file-set folder.", completion: .directory)
    var fileSet: String

    @Option(help: "Remove this instance (repeatable).")
    var sopInstanceUID: [String] = []

    @Option(help: "Remove the instance at this File ID, e.g. DICOM/P0000001/S0000001/R0000001/I0000001 (repeatable).")
    var fileID: [String] = []

    @Option(help: "Remove this series (repeatable).")
    var seriesUID: [String] = []

    @Option(help: "Remove this study (repeatable).")
    var studyUID: [String] = []

    @Option(help: "Remove this patient (repeatable).")
    var patientID: [String] = []

    @Flag(help: "Also drop every inactive (deleted) record and delete the files behind them.")
    var compact = false

    @OptionGroup var flags: UpdateFlags

    func run() throws {
        var selector = RemoveSelector()
        selector.sopInstanceUIDs = Set(sopInstanceUID)
        selector.fileIDs = Set(fileID)
        selector.seriesUIDs = Set(seriesUID)
        selector.studyUIDs = Set(studyUID)
        selector.patientIDs = Set(patientID)
        var options = UpdateOptions()
        options.dryRun = flags.dryRun
        options.compact = compact
        let report: UpdateReport
        do {
            var r = try FileSetUpdater.remove(fileSet: fileSet, selector: selector, options: options)
            try flags.updateWebContent(fileSet, &r)
            report = r
        } catch let e as FileSetError {
            throw failure(e)
        }
        UpdateSummary.print(report, json: flags.json)
    }
}

enum UpdateSummary {
    static func print(_ r: UpdateReport, json: Bool) {
        if json { Output.json(r); return }
        var out = r.dryRun ? "Would update \(r.fileSet) (dry run, nothing written)\n" : "Updated \(r.fileSet)  UID \(r.fileSetUID)\n"
        if !r.added.isEmpty { out += "  Added: \(r.added.count)\n" + r.added.prefix(20).map { "    \($0)\n" }.joined() }
        if !r.removed.isEmpty { out += "  Removed: \(r.removed.count)\n" + r.removed.prefix(20).map { "    \($0)\n" }.joined() }
        for (title, lines) in [("Already in the file-set, left out", r.skippedExisting),
                               ("Identical copies, one added", r.duplicates),
                               ("Left by an interrupted update, cleaned up", r.recovered),
                               ("Not DICOM, left out", r.nonDICOM.map { "\($0.path): \($0.reason)" }),
                               ("Unusable DICOM files, left out", r.unusable.map { "\($0.path): \($0.reason)" }),
                               ("Left out (--skip-invalid)", r.leftOut.map { "\($0.path): \($0.reason)\($0.rule.map { " [\($0)]" } ?? "")" }),
                               ("Inconsistencies (--strict makes them errors)", r.inconsistencies),
                               ("Invented values", r.invented), ("Warnings", r.warnings), ("Notes", r.notes)] where !lines.isEmpty {
            out += "  \(title): \(lines.count)\n" + lines.prefix(50).map { "    \($0)\n" }.joined()
        }
        Output.text(out)
    }
}
