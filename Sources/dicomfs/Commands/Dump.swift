import ArgumentParser
import DICOM

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the meta information and data set of DICOM files.",
        discussion: """
        Values are decoded per Specific Character Set; long values are cut unless --full. \
        --json prints the PS3.18 DICOM JSON model (one object, or an array for several files); \
        bulk data is left out (with a BulkDataLength member) unless --inline-binary. \
        Decoding reads on past what real files get wrong (odd value lengths, VRs that \
        contradict the data dictionary, no File Meta Information): everything is printed and \
        each irregularity is a warning (exit status 1). --strict stops at the first one. A \
        file that cannot be decoded at all (truncated, a length past its end) is reported with \
        the byte offset and element where decoding stopped (exit status 2).
        """
    )

    @Argument(help: "DICOM files to dump.", completion: .file())
    var files: [String]

    @Flag(help: "Print the DICOM JSON model instead of text.")
    var json = false

    @Flag(help: "With --json: include bulk data as base64 InlineBinary.")
    var inlineBinary = false

    @Flag(help: "With --json: include the File Meta Information elements.")
    var meta = false

    @Flag(help: "Stop before Pixel Data and skip large binary values (reads only the header).")
    var headerOnly = false

    @Flag(help: "Do not cut long values.")
    var full = false

    @Flag(help: "Show each element's byte offset.")
    var offsets = false

    @Flag(help: "Stop at the first odd length or VR that contradicts the dictionary (exit status 2).")
    var strict = false

    /// The default since real files need it; kept so that scripts using it still run.
    @Flag(help: .hidden)
    var lenient = false

    @Flag(name: .shortAndLong, help: "Do not print warnings.")
    var quiet = false

    func run() throws {
        var options = headerOnly ? ReadOptions.headerOnly : ReadOptions()
        options.strict = strict && !lenient
        var failed = false, warned = false
        var jsonObjects: [String] = []
        for path in files {
            do {
                let file = try DICOMFile.read(path: path, options: options)
                warned = warned || !file.warnings.isEmpty
                if !quiet {
                    for w in file.warnings { FileHandle.standardError("dicomfs: warning: \(path): \(w)") }
                }
                if json {
                    jsonObjects.append(DICOMJSON(inlineBinary: inlineBinary).encode(file.dataSet, meta: meta ? file.meta : nil))
                } else {
                    FileHandle.standardOutput(TextDump(maxValueLength: full ? nil : 64, showOffsets: offsets).render(file))
                }
            } catch {
                // What was read before the failure is printed first; the located error ends it.
                if let e = error as? DICOMError, let partial = DICOMFile.readBefore(e, path: path, options: options), !partial.dataSet.isEmpty {
                    if json {
                        jsonObjects.append(DICOMJSON(inlineBinary: inlineBinary).encode(partial.dataSet, meta: meta ? partial.meta : nil))
                    } else {
                        FileHandle.standardOutput(TextDump(maxValueLength: full ? nil : 64, showOffsets: offsets).render(partial))
                        FileHandle.standardOutput("# read stops here: \(e.message)\n")
                    }
                }
                FileHandle.standardError("dicomfs: error: \(error)")
                failed = true
            }
        }
        if json {
            let body = files.count == 1 ? (jsonObjects.first ?? "null") : "[" + jsonObjects.joined(separator: ",\n") + "]"
            FileHandle.standardOutput(body + "\n")
        }
        if failed { throw ExitCode(Exit.unusable) }
        if warned { throw ExitCode(Exit.findings) }
    }
}
