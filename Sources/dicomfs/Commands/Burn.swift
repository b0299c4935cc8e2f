import ArgumentParser
import FileSet
import Media

struct Drives: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drives",
        abstract: "List optical drives and what medium each holds.",
        discussion: """
        Shows each drive libburn finds (vendor, model, medium profile such as CD-R, DVD+RW or \
        BD-R, status blank/appendable/closed/none, free capacity), plus any --drive addresses \
        given, e.g. stdio:/path/file pseudo-drives.
        """
    )

    @Option(name: .customLong("drive"), help: "Also describe this drive address (repeatable), e.g. stdio:/tmp/disc.iso.")
    var drives: [String] = []

    @Flag(help: "Print the drives as JSON.")
    var json = false

    func run() throws {
        let list = try mediaOperation { try Burner.drives(extra: drives) }
        if json { Output.json(list); return }
        if list.isEmpty { Output.text("No drives found (give --drive stdio:/path/file for an image file).\n"); return }
        var out = ""
        for d in list {
            let name = [d.vendor, d.model].filter { !$0.isEmpty }.joined(separator: " ")
            out += "\(d.address)\t\(name.isEmpty ? "-" : name)\t\(d.profile.isEmpty ? "-" : d.profile)\t\(d.status)\t\(formatBytes(Int(d.freeBytes))) free\(d.erasable ? "\terasable" : "")\n"
        }
        Output.text(out)
    }
}

struct Burn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "burn",
        abstract: "Write a file-set or an ISO image to a disc (or a stdio: pseudo-drive).",
        discussion: """
        SOURCE is a file-set folder (mastered on the fly with the same names and options as \
        `dicomfs iso`) or a finished ISO image. Closed media and media that are too small are \
        refused with the numbers; rewritable media are erased only with --blank-first. After \
        writing, the session is read back and verified (PS3.12 names, session and file MD5s, \
        every file-set check) unless --no-verify. Ctrl-C cancels the burn cleanly.
        """
    )

    @Argument(help: "A file-set folder or an ISO image.", completion: .file())
    var source: String

    @Option(help: "Drive: /dev/sr0, or stdio:/path/file for an image file.")
    var drive: String

    @Option(help: "Write speed in × of the medium (default: maximum).")
    var speed: Double?

    @Flag(help: "Simulate the write (laser off), where the drive and medium allow it.")
    var dummy = false

    @Flag(help: "Leave the disc appendable for more sessions (dicomfs add --media).")
    var multi = false

    @Flag(help: "Eject the disc when done.")
    var eject = false

    @Flag(help: "Do not read the written session back to verify it.")
    var noVerify = false

    @Flag(help: "Burn a file-set that verify finds errors in (the findings are printed).")
    var force = false

    @Flag(help: "Erase a rewritable medium first if it is not blank.")
    var blankFirst = false

    @Option(help: "PS3.11 profile, which sets the default medium for a file-set.")
    var profile: ApplicationProfile = .stdGenCD

    @OptionGroup var image: ImageOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        var options = Burner.Options()
        options.speed = speed
        options.simulate = dummy
        options.multiSession = multi
        options.eject = eject
        options.verify = !noVerify
        options.blankFirst = blankFirst
        let settings = try image.settings(profile: profile)
        let bar = ProgressBar()
        let result = try mediaOperation {
            defer { bar.finish() }
            let progress: (WriteProgress) -> Void = { bar.transfer("Burning", done: $0.bytesDone, total: $0.bytesTotal, seconds: $0.seconds) }
            if ISOImage.isImage(source) {
                return try Burner.burn(image: source, to: drive, options: options, progress: progress)
            }
            let plan = try MasterPlan.make(fileSet: source, force: force)
            for f in plan.findings { FileHandle.standardError("dicomfs: \(f)") }
            return try Burner.burn(fileSet: plan, to: drive, settings: settings, options: options, progress: progress)
        }
        if json { Output.json(result); return }
        var out = "\(result.simulated ? "Simulated burning" : "Burned") \(source) to \(result.drive): \(formatBytes(Int(result.bytes))) in \(String(format: "%.1f", result.seconds)) s"
        out += result.verified ? "; read back and verified\n" : "\n"
        Output.text(out)
    }
}
