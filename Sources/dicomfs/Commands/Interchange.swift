import ArgumentParser
import FileSet
import Interchange
import Media

struct Mime: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mime",
        abstract: "Send or receive a file-set as a MIME message (PS3.10 Annex K).",
        subcommands: [MimeExport.self, MimeImport.self]
    )
}

struct MimeExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a file-set as one MIME multipart/related (or mixed) message.",
        discussion: """
        Each DICOM file becomes an application/dicom part whose id is its File ID joined by / \
        and whose name is its last component + .dcm; the DICOMDIR is one part with id and name \
        DICOMDIR. Other files (web content, README) go as parts of their own media type with a \
        Content-Location. With --max-size the message is cut into message/partial fragments \
        (RFC 2046), written as OUTPUT.001, OUTPUT.002, …
        """
    )

    @Argument(help: "The file-set folder.", completion: .directory)
    var fileSet: String

    @Option(name: .shortAndLong, help: "The message file to write.", completion: .file())
    var output: String

    @Flag(help: "multipart/mixed instead of multipart/related.")
    var mixed = false

    @Flag(help: "Content-Transfer-Encoding binary instead of base64.")
    var binary = false

    @Option(help: "Split into message/partial fragments of at most this many bytes, e.g. 10MB.")
    var maxSize: String?

    func run() throws {
        var options = MIMEExport.Options()
        options.mixed = mixed
        options.binary = binary
        if let maxSize {
            guard let n = MediaKind.parseSize(maxSize).map({ Int($0) }) else { throw ValidationError("--max-size \(maxSize): expected a size such as 10MB or 2000000") }
            options.maxSize = n
        }
        do {
            let files = try MIMEExport.export(fileSet: fileSet, to: output, options: options) {
                FileHandle.standardError("dicomfs: note: left out: \($0)")
            }
            Output.text(files.joined(separator: "\n") + "\n")
        } catch let e as InterchangeError { throw interchangeFailure(e) }
    }
}

struct MimeImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Rebuild a file-set from a MIME message or its fragments, then verify it.",
        discussion: """
        Accepts one message or all its message/partial fragments in any order; nested \
        multiparts, CRLF or LF line ends, base64, quoted-printable, 7bit, 8bit and binary. Every \
        part id is checked as a File ID (no .., no leading /, no backslash, at most 8 components \
        of 1–8 A–Z 0–9 _), duplicates and a second DICOMDIR are refused, and the file-set is built \
        in a hidden folder renamed into place only when complete: a refused import writes nothing.
        """
    )

    @Argument(help: "The message, or all of its fragments.", completion: .file())
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The file-set folder to create (must not exist, or be empty).", completion: .directory)
    var output: String

    @Option(help: "Refuse messages whose parts decode to more than this, e.g. 20GB.")
    var maxBytes: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        var options = MIMEImport.Options()
        if let maxBytes {
            guard let n = MediaKind.parseSize(maxBytes).map({ Int($0) }) else { throw ValidationError("--max-bytes \(maxBytes): expected a size such as 20GB") }
            options.maxBytes = n
        }
        do {
            try printImport(try MIMEImport.importFiles(inputs, into: output, options: options), json: json)
        } catch let e as InterchangeError { throw interchangeFailure(e) }
    }
}

struct Zip: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zip",
        abstract: "Write a file-set as a ZIP archive (PS3.12): DICOMDIR at the root, File IDs as paths.",
        discussion: "DICOM files are stored without compression; other files are deflated."
    )

    @Argument(help: "The file-set folder.", completion: .directory)
    var fileSet: String

    @Option(name: .shortAndLong, help: "The archive to write.", completion: .file())
    var output: String

    func run() throws {
        do {
            for note in try ZipInterchange.export(fileSet: fileSet, to: output) { FileHandle.standardError("dicomfs: note: left out: \(note)") }
        } catch let e as InterchangeError { throw interchangeFailure(e) }
        Output.text(output + "\n")
    }
}

struct Unzip: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unzip",
        abstract: "Rebuild a file-set from a ZIP archive, then verify it.",
        discussion: """
        Refuses entries whose paths would leave the folder (.., leading /, backslash), symbolic \
        links and archives that expand beyond reason (zip bombs); other non-8.3 names are left \
        out and listed. Nothing is written unless the whole archive is accepted.
        """
    )

    @Argument(help: "The archive.", completion: .file())
    var archive: String

    @Option(name: .shortAndLong, help: "The file-set folder to create (must not exist, or be empty).", completion: .directory)
    var output: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        do { try printImport(try ZipInterchange.importArchive(archive, into: output), json: json) } catch let e as InterchangeError {
            throw interchangeFailure(e)
        }
    }
}

func printImport(_ r: ImportReport, json: Bool) throws {
    if json { Output.json(r) } else {
        var out = "Imported \(r.fileSet): \(r.dicomFiles) DICOM files, \(r.otherFiles) other files\n"
        for s in r.skipped { out += "  skipped: \(s)\n" }
        for f in r.verification.findings where f.severity != .info { out += "  \(f)\n" }
        out += "  verify: \(r.verification.errors) errors, \(r.verification.warnings) warnings\n"
        Output.text(out)
    }
    if r.verification.errors > 0 { throw ExitCode(Exit.findings) }
}

func interchangeFailure(_ e: InterchangeError) -> ExitCode {
    FileHandle.standardError("dicomfs: error: \(e)")
    return ExitCode(Exit.unusable)
}
