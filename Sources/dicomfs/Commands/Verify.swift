import ArgumentParser
import FileSet
import Media

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a received file-set thoroughly, read-only (File-set Reader).",
        discussion: """
        Checks the DICOMDIR (Part 10, Explicit VR Little Endian, Media Storage Directory SOP \
        Class, File-set ID, consistency flag, descriptor), its record graph (offsets, cycles, \
        unreachable records, parent/child types, inactive records), the keys of every record, \
        and every referenced file (valid File ID inside the file-set, present, referenced once, \
        SOP Class/Instance and Transfer Syntax as recorded, parses to its end, pixel data \
        length, no executable preamble), and that every DICOM file is referenced. PATH may also \
        be an ISO image or a drive (/dev/sr0), read through libisofs without mounting; then the \
        PS3.12 names, the Volume Identifier and the recorded session and per-file MD5s are \
        checked too. Exit status: \
        0 no errors, 1 errors found, 2 not readable as a file-set at all.
        """
    )

    @Argument(help: "A file-set folder, its DICOMDIR, an ISO image or a drive.", completion: .file())
    var path: String

    @Option(help: "Also check transfer syntaxes against this PS3.11 profile.")
    var profile: ApplicationProfile?

    @Flag(help: "On an image or drive: skip the MD5 checks.")
    var noMD5 = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print errors only.")
    var quiet = false

    func run() throws {
        let report: Verifier.Report
        do {
            if ISOImage.isImage(path) {
                report = try ISOVerifier.verify(path, profile: profile, checkMD5: !noMD5)
            } else {
                report = try Verifier(profile: profile).verify(path: path)
            }
        } catch let e as FileSetError {
            throw failure(e)
        } catch let e as MediaError {
            throw failure(e)
        }
        if json {
            Output.json(report)
        } else {
            var out = ""
            // Non-DICOM files (web content, a viewer) are many and all fine: one line per folder.
            var nonDICOM: [String: Int] = [:]
            for f in report.findings.sorted(by: { $0.severity < $1.severity }) where !quiet || f.severity == .error {
                if f.severity == .info && f.message.hasPrefix("non-DICOM file") {
                    nonDICOM[f.subject.split(separator: "/").count > 1 ? String(f.subject.split(separator: "/")[0]) + "/" : f.subject, default: 0] += 1
                    continue
                }
                out += "\(f)\n"
            }
            for (place, n) in nonDICOM.sorted(by: { $0.key < $1.key }) {
                out += n == 1 && !place.hasSuffix("/") ? "info: \(place): non-DICOM file (allowed; not referenced)\n"
                    : "info: \(place): \(n) non-DICOM file\(n == 1 ? "" : "s") (allowed; not referenced)\n"
            }
            out += "\(report.fileSet): \(report.records) records (\(report.inactiveRecords) inactive), \(report.referencedFiles) files referenced; "
            out += "\(report.errors) error\(report.errors == 1 ? "" : "s"), \(report.warnings) warning\(report.warnings == 1 ? "" : "s")\n"
            Output.text(out)
        }
        if report.errors > 0 { throw ExitCode(Exit.findings) }
    }
}
