import ArgumentParser
import DICOM
import FileSet
import Foundation
import Imaging
import Media
import WebContent

extension ApplicationProfile: ExpressibleByArgument {
    public init?(argument: String) {
        guard let p = ApplicationProfile.named(argument) else { return nil }
        self = p
    }
    public static var allValueStrings: [String] { all.map(\.name) }
    public var defaultValueDescription: String { name }
}

struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make a file-set with a DICOMDIR from a folder of DICOM Part 10 files (File-set Creator).",
        discussion: """
        SOURCE is scanned recursively; files that are not DICOM are left out and listed. By default \
        every instance is copied byte for byte into OUTPUT under generated File IDs \
        (DICOM/P0000001/S0000001/R0000001/I0000001). With --in-place, SOURCE already is the \
        file-set: every path must be a valid File ID and only the DICOMDIR is written. Nothing is \
        written when an instance breaks the profile or lacks a Type 1 key (see --invent). With \
        --iso the file-set is also mastered into an ISO 9660 image (as `dicomfs iso` does); \
        without -o the files go into the image straight from SOURCE, never copied to a folder.
        """
    )

    @Argument(help: "Folder of DICOM files (any names, any depth).", completion: .directory)
    var source: String

    @Option(name: .shortAndLong, help: "Folder to create; must not exist or be empty.", completion: .directory)
    var output: String?

    @Option(help: "Also master the file-set into this ISO 9660 image.", completion: .file())
    var iso: String?

    @OptionGroup var image: ImageOptions

    @Flag(help: "SOURCE is the file-set: validate its paths as File IDs and write only SOURCE/DICOMDIR.")
    var inPlace = false

    @Flag(help: "With --in-place: replace an existing DICOMDIR.")
    var force = false

    @Option(help: "PS3.11 application profile.")
    var profile: ApplicationProfile = .stdGenCD

    @Option(name: .customLong("fileset-id"), help: "File-set ID, 0–16 characters of A–Z, 0–9, _.")
    var fileSetID = ""

    @Option(name: .customLong("fileset-uid"), help: "File-set UID (default: a new UID).")
    var fileSetUID: String?

    @Option(help: "A text file to copy into the file-set as its descriptor (e.g. README).", completion: .file())
    var descriptor: String?

    @Option(help: "Character set of the descriptor file, e.g. ISO_IR 100 or ISO_IR 192.")
    var descriptorCharset: String?

    @Flag(help: "Put an Icon Image Sequence (PS3.3 F.7) in every IMAGE record: the representative frame, fitted with its aspect kept; grey as MONOCHROME2, colour as PALETTE COLOR.")
    var icons = false

    @Flag(help: "With --icons: SERIES records get an icon too (their middle image's).")
    var seriesIcons = false

    @Option(help: "Icon size in pixels: 64 or 128.")
    var iconSize = 64

    @Flag(help: "Add IHE PDI web content: INDEX.HTM, README.TXT and IHE_PDI/ with XHTML pages and JPEG renderings.")
    var web = false

    @Flag(help: "Add the offline viewer (VIEWER/, started from INDEX.HTM); implies --web.")
    var viewer = false

    @Option(help: "With --web: longer side of the pages' and the viewer's images at most, in pixels (smaller images keep their size; default 2048).")
    var viewerMaxSize: Int?

    @Option(help: "With --web: JPEG quality of the images not kept lossless (PNG for small images and those with burned-in text; default 90).")
    var viewerQuality: Int?

    @Flag(help: "With --viewer: carry each grey series' modality values too, so that window and level work in real units (CT's HU) — a second copy of the pixels, several times the renderings' size. Without it the viewer shows the renderings, and window and level act on their grey levels.")
    var viewerValues = false

    @Flag(help: "With --web: make README.TXT the File-set descriptor (0004,1141).")
    var readmeDescriptor = false

    @Flag(help: "Fill missing Type 1 keys with documented, deterministic values (each is reported).")
    var invent = false

    @Flag(help: "Leave out every file that cannot go in (each listed with its reason) and write the rest; exit status 1.")
    var skipInvalid = false

    @Flag(help: "Rewrite instances whose transfer syntax the profile refuses, losslessly: Explicit VR Little Endian for STD-GEN-CD, JPEG 2000 Lossless for the J2K profiles, JPEG Lossless SV1 for the JPEG ones (every frame checked after encoding; the source is never changed).")
    var transcode = false

    @Option(help: "With --transcode: the syntax to write instead (a UID the profile allows: 1.2.840.10008.1.2.1, .4.70, .4.80, .4.90 or 1.2.840.10008.1.2.5 for RLE).")
    var transcodeTo: String?

    @Option(help: "With --transcode: compress images lossily at this quality, 1–100, in the profile's lossy syntax (JPEG Baseline or Extended for the JPEG profiles, JPEG 2000 for the J2K ones), each as a new instance (Image Type DERIVED, new SOP Instance UID, the original in Source Image Sequence, Lossy Image Compression 01 with ratio and method). Never without this option.")
    var allowLossy: Int?

    @Flag(help: "Make inconsistencies between instances (same patient or study, different attributes) errors.")
    var strict = false

    @Flag(help: "Scan and check, print what would be created, write nothing.")
    var dryRun = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if inPlace && output != nil { throw ValidationError("--in-place writes into SOURCE; do not give -o") }
        if !inPlace && output == nil && iso == nil { throw ValidationError("give the folder to create with -o, an image with --iso, or use --in-place") }
        if force && !inPlace { throw ValidationError("--force only applies with --in-place") }
        if transcode && inPlace { throw ValidationError("--transcode cannot work in place: the files are the source, which dicomfs never changes") }
        if transcodeTo != nil && !transcode { throw ValidationError("--transcode-to needs --transcode") }
        if allowLossy != nil && !transcode { throw ValidationError("--allow-lossy needs --transcode") }
        if iconSize != 64 && iconSize != 128 { throw ValidationError("--icon-size is 64 or 128 (PS3.3 F.7)") }
        if seriesIcons && !icons { throw ValidationError("--series-icons needs --icons") }
        if readmeDescriptor && !(web || viewer) { throw ValidationError("--readme-descriptor needs --web") }
        if readmeDescriptor && descriptor != nil { throw ValidationError("give either --descriptor or --readme-descriptor") }
        if let n = viewerMaxSize, !(64...8192).contains(n) { throw ValidationError("--viewer-max-size \(n): 64–8192 pixels") }
        if let q = viewerQuality, !(10...100).contains(q) { throw ValidationError("--viewer-quality \(q): 10–100") }
        if (viewerMaxSize != nil || viewerQuality != nil) && !(web || viewer) { throw ValidationError("--viewer-max-size and --viewer-quality need --web or --viewer") }
        if viewerValues && !viewer { throw ValidationError("--viewer-values needs --viewer") }
    }

    /// The capacity a transcoded set should fit: with --iso, --media or --capacity given.
    func fitCapacity(_ settings: ImageSettings) -> Int64? {
        guard iso != nil || image.media != nil || image.capacity != nil else { return nil }
        return settings.capacity ?? settings.media.capacity
    }

    func run() throws {
        var options = CreateOptions()
        options.profile = profile
        options.fileSetID = fileSetID
        options.fileSetUID = fileSetUID
        options.descriptorPath = descriptor
        options.descriptorCharacterSet = descriptorCharset
        options.invent = invent
        options.skipInvalid = skipInvalid
        options.strict = strict
        options.inPlace = inPlace
        options.replaceExistingDICOMDIR = force
        options.dryRun = dryRun
        if icons {
            let size = iconSize
            options.iconMaker = { try IconMaker.icon(path: $0, size: size) }
            options.seriesIcons = seriesIcons
        }
        let settings = try image.settings(profile: profile)
        let bar = ProgressBar()
        let progress: @Sendable (String, Int, Int) -> Void = { stage, done, total in bar.update(stage, done, total) }
        var mastered: ISOMaster.Result?
        let report: CreateReport = try mediaOperation {
            defer { bar.finish() }
            // --transcode: staging runs on a mirror of the source in which the instances the
            // profile refuses are rewritten (next to the source, so that the rest are links).
            var stagedSource = source
            var transcodeScratch: TemporaryFolder?
            defer { transcodeScratch?.remove() }
            var transcodeNotes: (done: [CreateReport.Note], failed: [CreateReport.Note]) = ([], [])
            var fit: CreateReport.Fit?
            if transcode {
                let scratch = try (try? TemporaryFolder(near: source)) ?? TemporaryFolder(near: iso ?? output ?? source)
                transcodeScratch = scratch
                do {
                    let prepared = try TranscodeStage.prepare(source: source, profile: profile, scratch: scratch.path, to: transcodeTo, lossyQuality: allowLossy, progress: progress, bytesRead: { bar.read($0) })
                    stagedSource = prepared.source
                    transcodeNotes.done = prepared.transcoded.map { .init(path: $0.path, reason: transcodeNote($0.from, $0.to, allowLossy)) }
                    transcodeNotes.failed = prepared.failed.map { .init(path: $0.path, reason: $0.reason) }
                    // Fit the medium: past its capacity, the images stored natively are
                    // compressed losslessly where the profile allows it, before anything else.
                    if let capacity = fitCapacity(settings), let syntax = TranscodeStage.compressedTarget(for: profile),
                       try TranscodeStage.totalBytes(stagedSource) > capacity * 98 / 100 {
                        let packed = try TranscodeStage.prepare(source: stagedSource, profile: profile, scratch: scratch.path + "/fit", to: syntax,
                                                                nativeOnly: true, progress: progress, bytesRead: { bar.read($0) })
                        stagedSource = packed.source
                        fit = CreateReport.Fit(capacity: capacity, syntax: syntax, instances: packed.transcoded.count,
                                               before: packed.bytesBefore, after: packed.bytesAfter)
                        transcodeNotes.failed += packed.failed.map { .init(path: $0.path, reason: $0.reason) }
                    }
                } catch let e as ImagingError { throw FileSetError.unusableInput("--transcode: \(e)") }
            }
            func finished(_ r: CreateReport) -> CreateReport {
                var r = r
                r.transcoded = transcodeNotes.done
                r.notTranscoded = transcodeNotes.failed
                r.compressedToFit = fit
                if transcode, let capacity = fitCapacity(settings), Int64(r.bytes) > capacity {
                    r.warnings.append("the instances (\(formatBytes(r.bytes))) do not fit \(formatBytes(Int(capacity)))"
                                      + (TranscodeStage.compressedTarget(for: profile) == nil ? " and \(profile.name) allows no compression" : " even compressed losslessly")
                                      + ": `dicomfs request` splits a set into volumes")
                }
                return r
            }
            let extras = web || viewer
            guard extras || iso != nil, !dryRun else {
                var r = try FileSetCreator.create(source: stagedSource, output: output, options: options, progress: progress)
                if inPlace { r.fileSet = source }
                return finished(r)
            }
            var staged = try FileSetCreator.stage(source: stagedSource, options: options, progress: progress)
            let scratch = try TemporaryFolder(near: iso ?? output ?? source)
            defer { scratch.remove() }
            if extras {
                do {
                    try WebContentWriter.add(to: &staged, scratch: scratch.path, viewer: viewer, readmeDescriptor: readmeDescriptor,
                                             imageSize: viewerMaxSize, jpegQuality: viewerQuality, viewerValues: viewerValues, progress: progress)
                } catch let e as WebContentError { throw FileSetError.io("web content: \(e)") }
            }
            bar.finish()
            if let iso, output == nil && !inPlace {
                // Streamed: the image is made from the source files; only the DICOMDIR and the
                // web content are written, into the scratch folder.
                mastered = try masterWithProgress(try MasterPlan.make(staged: staged, scratch: scratch.path), to: iso, settings: settings)
                staged.report.fileSet = iso
                return finished(staged.report)
            }
            try FileSetCreator.write(staged, output: inPlace ? nil : output, progress: progress)
            staged.report.fileSet = inPlace ? source : (output ?? "")
            if let iso { mastered = try masterWithProgress(try MasterPlan.make(fileSet: output ?? source, force: false), to: iso, settings: settings) }
            return finished(staged.report)
        }
        if json {
            if let mastered { Output.json(CreatedImage(fileSet: report, image: mastered)) } else { Output.json(report) }
        } else {
            Output.text(CreateSummary.render(report))
            if let mastered { printMastered(mastered, json: false) }
        }
        if report.hasFindings { throw ExitCode(Exit.findings) }
    }
}

/// `create --iso --json`: both reports.
struct CreatedImage: Encodable {
    var fileSet: CreateReport
    var image: ISOMaster.Result
}

/// Maps a file-set error to the documented exit status after printing it.
func failure(_ e: FileSetError) -> ExitCode {
    switch e {
    case .unusableInput(let message):
        FileHandle.standardError("dicomfs: error: \(message)")
        return ExitCode(Exit.unusable)
    case .rejected(let problems):
        FileHandle.standardError("dicomfs: error: nothing was written; \(problems.count) problem\(problems.count == 1 ? "" : "s"):")
        for p in problems { FileHandle.standardError("  \(p)") }
        return ExitCode(Exit.findings)
    case .io(let message):
        FileHandle.standardError("dicomfs: error: \(message)")
        return ExitCode(Exit.findings)
    }
}

enum CreateSummary {
    static func render(_ r: CreateReport) -> String {
        var out = r.dryRun ? "Would create file-set \(r.fileSet) (dry run, nothing written)\n" : "Created file-set \(r.fileSet)\n"
        out += "  Profile:      \(r.profile)\n"
        out += "  File-set ID:  \(r.fileSetID.isEmpty ? "(empty)" : r.fileSetID)\n"
        out += "  File-set UID: \(r.fileSetUID)\n"
        out += "  Instances:    \(r.instances), \(formatBytes(r.bytes)) with a DICOMDIR of \(formatBytes(r.dicomdirBytes))\n"
        let order = ["PATIENT", "STUDY", "SERIES"]
        let names = order.filter { r.records[$0] != nil } + r.records.keys.filter { !order.contains($0) }.sorted()
        out += "  Records:      " + names.map { "\($0) \(r.records[$0] ?? 0)" }.joined(separator: ", ") + "\n"
        section(&out, "Not DICOM, left out", r.nonDICOM.map { "\($0.path): \($0.reason)" })
        section(&out, "Unusable DICOM files, left out", r.unusable.map { "\($0.path): \($0.reason)" })
        section(&out, "Transcoded", r.transcoded.map { "\($0.path): \($0.reason)" })
        section(&out, "Could not be transcoded", r.notTranscoded.map { "\($0.path): \($0.reason)" })
        if let w = r.webBytes {
            out += "  Web content:  \(formatBytes(Int(w.renderings + w.pages + w.viewer))): renderings \(formatBytes(Int(w.renderings))), pages and reports \(formatBytes(Int(w.pages)))"
                + (w.viewer > 0 ? ", viewer \(formatBytes(Int(w.viewer)))" : "") + "\n"
        }
        if let f = r.compressedToFit {
            out += "  Compressed to fit \(formatBytes(Int(f.capacity))): \(f.instances) images in \(syntaxName(f.syntax)), \(formatBytes(Int(f.before))) → \(formatBytes(Int(f.after)))\n"
        }
        section(&out, "Left out (--skip-invalid)", r.leftOut.map { "\($0.path): \($0.reason)\($0.rule.map { " [\($0)]" } ?? "")" })
        section(&out, "Not followed", r.skipped.map { "\($0.path): \($0.reason)" })
        section(&out, "Duplicates", r.duplicates)
        section(&out, "Inconsistencies (--strict makes them errors)", r.inconsistencies)
        section(&out, "Invented values", r.invented)
        section(&out, "Warnings", r.warnings)
        return out
    }

    private static func section(_ out: inout String, _ title: String, _ lines: [String]) {
        guard !lines.isEmpty else { return }
        out += "  \(title): \(lines.count)\n"
        for l in lines.prefix(50) { out += "    \(l)\n" }
        if lines.count > 50 { out += "    … and \(lines.count - 50) more (--json lists all)\n" }
    }
}

func formatBytes(_ n: Int) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB"]
    var v = Double(n), i = 0
    while v >= 1000 && i < units.count - 1 { v /= 1000; i += 1 }
    return i == 0 ? "\(n) bytes" : String(format: "%.1f %@", v, units[i])
}

/// A transfer syntax's name from the registry, else its UID.
func syntaxName(_ uid: String) -> String { UIDRegistry.entry(for: uid)?.name ?? uid }

/// "JPEG Baseline (Process 1) → Explicit VR Little Endian", said to be lossy (a new instance) when it is.
func transcodeNote(_ from: String, _ to: String, _ quality: Int?) -> String {
    "\(syntaxName(from)) → \(syntaxName(to))" + (LossySyntax(rawValue: to) != nil ? ", lossy at quality \(quality ?? 0) (a new instance)" : "")
}
