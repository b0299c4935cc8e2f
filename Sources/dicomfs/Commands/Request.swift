import ArgumentParser
import FileSet
import Media
import Requests

struct Request: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Media creation requests (PS3.4 Annex S), offline: create, run, status, cancel, watch.",
        discussion: """
        A request names instances by SOP Instance UID; `run` finds them under the store, splits \
        them into volumes when they exceed the medium (patient, study, series, then instance \
        boundaries), builds each volume as a complete file-set (with web content and viewer when \
        Include Non-DICOM Objects / Include Display Application ask), masters it and burns it \
        when drives are given. Job status: IDLE, PENDING, CREATING, DONE, FAILURE.
        """,
        subcommands: [RequestCreate.self, RequestRun.self, RequestRetry.self, RequestStatus.self, RequestCancel.self, RequestWatch.self]
    )
}

struct RequestCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write a job from a request (like N-CREATE); only the request's syntax is checked.",
        discussion: "The request comes from --from (a Part 10 dataset or DICOM JSON) or from the options; options override the file."
    )

    @Option(help: "Folder of DICOM files the instances are taken from.", completion: .directory)
    var store: String

    @Option(name: .shortAndLong, help: "The job folder to create.", completion: .directory)
    var output: String

    @Option(help: "A request file: Part 10 (SOP Class 1.2.840.10008.5.1.1.33) or DICOM JSON.", completion: .file())
    var from: String?

    @Option(help: "An instance to put on media: SOP Instance UID, optionally ,SOP Class UID (repeatable).")
    var instance: [String] = []

    @Option(help: "Requested Media Application Profile for the instances given with --instance.")
    var profile: String?

    @Option(name: .customLong("fileset-id"), help: "Storage Media File-Set ID.")
    var fileSetID: String?

    @Option(name: .customLong("fileset-uid"), help: "Storage Media File-Set UID.")
    var fileSetUID: String?

    @Option(help: "Label Text.")
    var labelText: String?

    @Option(help: "Label Style Selection: full (patients and up to three studies each; default) or compact (one larger line per patient).")
    var labelStyle: LabelStyle?

    @Flag(help: "Label Using Information Extracted From Instances: YES.")
    var labelFromInstances = false

    @Option(help: "Barcode Value.")
    var barcode: String?

    @Option(help: "Barcode Symbology, e.g. CODE128 or QR.")
    var barcodeSymbology: String?

    @Flag(help: "Allow Media Splitting: NO.")
    var noSplitting = false

    @Flag(help: "Allow Lossy Compression YES: a job run with --transcode may compress images lossily (request run --lossy-quality).")
    var allowLossy = false

    @Option(help: "Include Non-DICOM Objects: NO, FOR_PHYSICIAN, FOR_PATIENT, FOR_TEACHING, FOR_RESEARCH.")
    var includeNonDicom: String?

    @Flag(help: "Include Display Application: YES (the offline viewer).")
    var displayApplication = false

    @Option(help: "Number of Copies.")
    var copies: Int?

    @Option(help: "Request Priority: HIGH, MED or LOW.")
    var priority: MediaRequest.Priority?

    func run() throws {
        do {
            var r = try from.map { try MediaRequest.read(path: $0) } ?? MediaRequest()
            for i in instance {
                let parts = i.split(separator: ",").map(String.init)
                r.references.append(.init(sopClassUID: parts.count > 1 ? parts[1] : "", sopInstanceUID: parts[0], profile: profile, iconJSON: nil))
            }
            if let fileSetID { r.fileSetID = fileSetID }
            if let fileSetUID { r.fileSetUID = fileSetUID }
            if let labelText { r.labelText = labelText }
            if let labelStyle { r.labelStyle = labelStyle.rawValue }
            if labelFromInstances { r.labelFromInstances = true }
            if let barcode { r.barcodeValue = barcode }
            if let barcodeSymbology { r.barcodeSymbology = barcodeSymbology }
            if noSplitting { r.allowSplitting = false }
            if allowLossy { r.allowLossy = true }
            if let includeNonDicom { r.includeNonDICOM = includeNonDicom.uppercased() }
            if displayApplication { r.includeDisplayApplication = true }
            if let copies { r.copies = copies }
            if let priority { r.priority = priority }
            try Job.create(r, store: store, job: output)
            Output.text("\(output): IDLE, \(r.references.count) instance\(r.references.count == 1 ? "" : "s") requested\n")
        } catch let e as RequestError { throw requestFailure(e) }
    }
}

struct RequestRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create the media of a job (like N-ACTION Initiate Media Creation).",
        discussion: "A job already initiated is refused (A510). Exit status 1 when the job ends in FAILURE, or when --skip-invalid left instances out."
    )

    @Argument(help: "The job folder.", completion: .directory)
    var job: String

    @OptionGroup var runOptions: JobRunOptions

    func run() throws {
        let options = try runOptions.options()
        try runOptions.finish(job) { try mediaOperation { try Job.run(job, options: options) } }
    }
}

struct RequestRetry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Run a job that ended in FAILURE or CANCELED again, from the start.",
        discussion: "Its images, labels and state are removed and the request run again, with the options given here. A job in any other state is refused (exit 1). Exit status as for run."
    )

    @Argument(help: "The job folder.", completion: .directory)
    var job: String

    @OptionGroup var runOptions: JobRunOptions

    func run() throws {
        let options = try runOptions.options()
        try runOptions.finish(job) { try mediaOperation { try Job.retry(job, options: options) } }
    }
}

/// The options of running a job, shared by run and retry.
struct JobRunOptions: ParsableArguments {
    @Option(help: "Number of Copies (overrides the request).")
    var copies: Int?

    @Option(help: "Request Priority: HIGH, MED or LOW.")
    var priority: MediaRequest.Priority?

    @Option(help: "Capacity of one volume, e.g. 700MB (default: the profile's medium).")
    var capacity: String?

    @Option(help: "Burn every copy of every volume to these drives in turn (repeatable; stdio:/path works).")
    var drive: [String] = []

    @Flag(help: "Leave out each instance that cannot go on media as it is (listed as failed, 0110H, with why) and create the rest.")
    var skipInvalid = false

    @Flag(help: "Rewrite instances whose transfer syntax the profile refuses in one it allows, losslessly, instead of failing them (0122H); when a volume's share does not fit its medium, compress the images stored natively losslessly first (JPEG-LS, JPEG 2000 or JPEG Lossless, as the profile allows) before splitting; with the request's Allow Lossy Compression YES, compress images lossily at --lossy-quality.")
    var transcode = false

    @Option(help: "With --transcode and Allow Lossy Compression YES in the request: the quality, 1–100 (default 90).")
    var lossyQuality: Int?

    @Option(help: "A PNG logo drawn at the top of every label.", completion: .file(extensions: ["png"]))
    var labelLogo: String?

    @Flag(help: "Print the final status as JSON.")
    var json = false

    func options() throws -> Job.RunOptions {
        var options = Job.RunOptions()
        options.skipInvalid = skipInvalid
        options.transcode = transcode
        options.labelLogo = labelLogo
        if let q = lossyQuality {
            guard (1...100).contains(q) else { throw ValidationError("--lossy-quality \(q): 1 to 100") }
            options.lossyQuality = q
        }
        options.copies = copies
        options.priority = priority
        options.drives = drive
        if let capacity {
            guard let n = MediaKind.parseSize(capacity) else { throw ValidationError("--capacity \(capacity): expected a size such as 700MB") }
            options.capacity = n
        }
        return options
    }

    /// Prints the state the run ended in; exit 1 for FAILURE or instances left out.
    func finish(_ job: String, _ body: () throws -> JobState) throws {
        do {
            let state = try body()
            printState(state, job: job, json: json)
            if state.status == .FAILURE || !state.failed.isEmpty { throw ExitCode(Exit.findings) }
        } catch let e as RequestError { throw requestFailure(e) }
    }
}

struct RequestStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a job's status (like N-GET).")

    @Argument(help: "The job folder.", completion: .directory)
    var job: String

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() throws {
        do { printState(try Job.status(job), job: job, json: json) } catch let e as RequestError { throw requestFailure(e) }
    }
}

struct RequestCancel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job that has not started creating media (C201/C202 once it has)."
    )

    @Argument(help: "The job folder.", completion: .directory)
    var job: String

    func run() throws {
        do { printState(try Job.cancel(job), job: job, json: false) } catch let e as RequestError { throw requestFailure(e) }
    }
}

struct RequestWatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run request files dropped into a hot folder, one at a time.",
        discussion: """
        Higher priority first, oldest first within a priority; each becomes a job folder under \
        --out named after the request, its status copied next to it as NAME.status.json. A \
        request is never processed twice, even when the watcher is killed and restarted.
        """
    )

    @Argument(help: "The inbox folder.", completion: .directory)
    var inbox: String

    @Option(help: "Folder of DICOM files the instances are taken from.", completion: .directory)
    var store: String

    @Option(help: "Folder for the job folders.", completion: .directory)
    var out: String

    @Option(help: "Seconds between looks at the inbox.")
    var interval: Double = 5

    @Flag(help: "Process what the inbox holds now, then exit.")
    var once = false

    func run() throws {
        let folder = HotFolder(inbox: inbox, store: store, out: out)
        do {
            if once { try folder.processOnce { FileHandle.standardError("dicomfs: \($0)") } } else {
                try folder.watch(interval: interval) { FileHandle.standardError("dicomfs: \($0)") }
            }
        } catch let e as RequestError { throw requestFailure(e) }
    }
}

func printState(_ s: JobState, job: String, json: Bool) {
    if json { Output.json(s); return }
    var out = "\(job): \(s.status.rawValue) (\(s.info.rawValue))\(s.detail.map { ": " + $0 } ?? "")\n"
    if s.piecesCreated > 0 { out += "  Total Number of Pieces of Media Created: \(s.piecesCreated)\n" }
    for v in s.volumes { out += "  volume \(v.number): \(v.image), File-set ID \(v.fileSetID), UID \(v.fileSetUID), \(v.instances.count) instances\(v.burned > 0 ? ", burned \(v.burned)×" : "")\n" }
    for n in s.notes ?? [] { out += "  note: \(n)\n" }
    for f in s.failed { out += "  failed: \(f.sopInstanceUID) (\(String(f.failureReason, radix: 16, uppercase: true))H): \(f.detail)\n" }
    Output.text(out)
}

/// A refused action (A510, C201, C202) is a failed operation (1); a bad request or job, 2.
func requestFailure(_ e: RequestError) -> ExitCode {
    FileHandle.standardError("dicomfs: error: \(e)")
    return ExitCode(e.code == nil ? Exit.unusable : Exit.findings)
}

extension MediaRequest.Priority: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

/// `--label-style full|compact`.
extension LabelStyle: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
}
