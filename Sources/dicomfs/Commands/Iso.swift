import ArgumentParser
import Dispatch
import FileSet
import Media
#if canImport(Glibc)
import Glibc
#endif

extension MediaKind: ExpressibleByArgument {}

/// The options every command that writes an ISO 9660 tree shares.
struct ImageOptions: ParsableArguments {
    @Option(help: "Medium: cd (PS3.12 Annex F names, NAME.;1, 700 MB), dvd, dvd-dl (Annex P names, NAME;1, 4.7/8.5 GB), bd (25 GB; not PS3.12-conformant: BD wants UDF), usb (no capacity). Default: from --profile.")
    var media: MediaKind?

    @Option(help: "Refuse images larger than this, e.g. 650MB, 4.7GB, 100M (default: the medium's capacity).")
    var capacity: String?

    @Flag(help: "Add a Joliet tree (Windows names; same names as ISO 9660).")
    var joliet = false

    @Flag(help: "Leave out Rock Ridge (then Linux shows names in lower case and no per-file MD5s are recorded).")
    var noRockRidge = false

    @Flag(help: "Do not record the session MD5 and per-file MD5s.")
    var noMD5 = false

    func settings(profile: ApplicationProfile) throws -> ImageSettings {
        var s = ImageSettings()
        s.media = media ?? MediaKind.for(profile)
        if let capacity {
            guard let n = MediaKind.parseSize(capacity) else { throw ValidationError("--capacity \(capacity): expected a size such as 700MB, 4.7GB or 100M") }
            s.capacity = n
        }
        s.joliet = joliet
        s.rockRidge = !noRockRidge
        s.md5 = !noMD5
        return s
    }
}

struct Iso: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iso",
        abstract: "Master an ISO 9660 image of a file-set (PS3.12 names, level 1).",
        discussion: """
        Every name in FILESET must already be a PS3.12 name (1–8 of A–Z 0–9 _, no extension on \
        DICOM files, 8.3 for other files); otherwise nothing is written and every offender is \
        listed. The Volume Identifier is the File-set ID; recording times are the file times. \
        Rock Ridge and the session and per-file MD5s are recorded unless switched off. The names \
        are read back from the finished image and checked once more.
        """
    )

    @Argument(help: "A file-set folder (with its DICOMDIR).", completion: .directory)
    var fileSet: String

    @Option(name: .shortAndLong, help: "Image file to write (or a stdio: drive address).", completion: .file())
    var output: String

    @Option(help: "PS3.11 profile, which sets the default medium.")
    var profile: ApplicationProfile = .stdGenCD

    @OptionGroup var image: ImageOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Master a set that verify finds errors in (the findings are printed).")
    var force = false

    func run() throws {
        let settings = try image.settings(profile: profile)
        let result = try mediaOperation {
            let plan = try MasterPlan.make(fileSet: fileSet, force: force)
            for f in plan.findings { FileHandle.standardError("dicomfs: \(f)") }
            return try masterWithProgress(plan, to: output, settings: settings)
        }
        printMastered(result, json: json)
    }
}

/// Runs a media operation with SIGINT/SIGTERM turned into a clean cancel, and maps errors to
/// exit statuses.
func mediaOperation<T>(_ body: () throws -> T) throws -> T {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
        let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        s.setEventHandler { Cancellation.request() }
        s.resume()
        return s
    }
    defer { sources.forEach { $0.cancel() } }
    do {
        return try body()
    } catch let e as MediaError {
        throw failure(e)
    } catch let e as FileSetError {
        throw failure(e)
    }
}

func failure(_ e: MediaError) -> ExitCode {
    FileHandle.standardError("dicomfs: error: \(e)")
    switch e {
    case .unusable: return ExitCode(Exit.unusable)
    case .cancelled: return ExitCode(130)
    case .io, .library: return ExitCode(Exit.findings)
    }
}

func masterWithProgress(_ plan: MasterPlan, to output: String, settings: ImageSettings) throws -> ISOMaster.Result {
    let bar = ProgressBar()
    defer { bar.finish() }
    return try ISOMaster.master(plan, to: output, settings: settings) { p in
        bar.transfer("Mastering", done: p.bytesDone, total: p.bytesTotal, seconds: p.seconds)
    }
}

func printMastered(_ r: ISOMaster.Result, json: Bool) {
    for w in r.warnings { FileHandle.standardError("dicomfs: warning: \(w)") }
    if json { Output.json(r); return }
    var out = "Mastered \(r.image)\n"
    out += "  Medium:     \(r.media.rawValue) (\(r.media.keepsDot ? "PS3.12 Annex F names: NAME.;1" : "PS3.12 Annex P names: NAME;1"))\n"
    out += "  Volume ID:  \(r.volumeID.isEmpty ? "(blank: empty File-set ID)" : r.volumeID)\n"
    out += "  Content:    \(r.files) files in \(r.directories) folders\n"
    out += "  Image:      \(formatBytes(Int(r.bytes))) in \(String(format: "%.1f", r.seconds)) s\(r.md5 ? ", session and file MD5s recorded" : "")\n"
    Output.text(out)
}
