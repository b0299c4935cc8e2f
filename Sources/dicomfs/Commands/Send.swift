import ArgumentParser
import DICOM
import FileSet
import Foundation
import Network
import Station

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a received disc (or a folder of files) to a PACS with C-STORE, reconciling the patient.",
        discussion: """
        SOURCE is a file-set folder, an ISO image or a drive (verified first; a set with errors \
        is refused unless --force), or a folder of files without DICOMDIR. Each instance goes \
        in its own transfer syntax, or as Explicit/Implicit VR Little Endian when it is not \
        compressed or the peer takes it only uncompressed (then it is decompressed). --set and --map change the copy sent, never the source; the old values go \
        into Original Attributes Sequence. With --journal, acknowledged instances are recorded \
        and a re-run sends only the rest. Exit status 0 when every instance was stored (success \
        or warning), 1 when some failed or the association broke, 2 for unusable input.
        """
    )

    @Argument(help: "The disc, image, file-set folder or folder of files.", completion: .file())
    var source: String

    @Option(help: "Where to: AE@host:port (e.g. PACS@10.0.0.5:104).")
    var to: String

    @Option(help: "Our AE title (Calling AE).")
    var callingAe = "DICOMFS"

    @Option(name: .customLong("set"), help: "Set an attribute in every instance sent, e.g. PatientID=LOCAL123 (repeatable).")
    var assignments: [String] = []

    @Option(help: "CSV of old Patient ID,new Patient ID[,new Patient's Name]: the patient mapped per instance.", completion: .file())
    var map: String?

    @Option(help: "File recording the instances acknowledged; a re-run with it sends only the rest.", completion: .file())
    var journal: String?

    @Flag(help: "Send even when verification finds errors.")
    var force = false

    @Flag(help: "Show what would be sent and changed; send nothing.")
    var dryRun = false

    @Flag(help: "New Study, Series and SOP Instance UIDs on the copy sent (and in the set's references to them), derived from the old ones so that a re-run gives the same; the old ones go into Original Attributes Sequence.")
    var newUids = false

    @Option(help: "TLS: trust these CA certificates (PEM) for the peer.", completion: .file())
    var tlsCa: String?

    @Option(help: "TLS: our certificate (PEM), with --tls-key.", completion: .file())
    var tlsCert: String?

    @Option(help: "TLS: our private key (PEM).", completion: .file())
    var tlsKey: String?

    @Option(help: "Seconds to wait for the peer.")
    var timeout: Double = 60

    @Flag(help: "Print the report as JSON.")
    var json = false

    func parseDestination() throws -> (ae: String, host: String, port: Int) {
        guard let at = to.firstIndex(of: "@"), let colon = to.lastIndex(of: ":"), at < colon,
              let port = Int(to[to.index(after: colon)...]), (1...65_535).contains(port) else {
            throw ValidationError("--to \(to): expected AE@host:port, e.g. PACS@127.0.0.1:104")
        }
        var host = String(to[to.index(after: at)..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let ae = String(to[..<at])
        guard !ae.isEmpty, ae.count <= 16, !host.isEmpty else { throw ValidationError("--to \(to): AE title of 1–16 characters and a host") }
        return (ae, host, port)
    }

    func run() throws {
        let (ae, host, port) = try parseDestination()
        var client = DICOMClient.Options(host: host, port: port, calledAE: ae)
        client.callingAE = callingAe
        client.timeout = timeout
        client.tlsCA = tlsCa
        client.tlsCertificate = tlsCert
        client.tlsKey = tlsKey
        var options = Sender.Options(destination: client)
        options.force = force
        options.dryRun = dryRun
        options.newUIDs = newUids
        options.journal = journal
        for a in assignments {
            guard let eq = a.firstIndex(of: "=") else { throw ValidationError("--set \(a): expected Keyword=value") }
            let keyword = String(a[..<eq])
            guard let entry = DataDictionary.entry(keyword: keyword) else { throw ValidationError("--set \(a): \(keyword) is not a DICOM keyword") }
            guard entry.tag.group != 0x0002, entry.tag != .sopInstanceUID, entry.tag != .sopClassUID else {
                throw ValidationError("--set \(a): \(keyword) cannot be changed on the way")
            }
            options.set[entry.tag] = String(a[a.index(after: eq)...])
        }
        if let map {
            guard let text = try? String(contentsOfFile: map, encoding: .utf8) else { throw failure(FileSetError.unusableInput("--map \(map): cannot read it")) }
            for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                if n == 0 && fields.first?.lowercased().contains("patient") == true { continue }   // a header line
                guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                    throw failure(FileSetError.unusableInput("--map \(map), line \(n + 1): expected old ID,new ID[,new name]"))
                }
                options.patientMap[fields[0]] = (fields[1], fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil)
            }
        }
        let bar = ProgressBar()
        let report: Sender.Report
        do {
            report = try mediaOperation { try Sender.send(source, options: options) { bar.update($0, $1, $2) } }
            bar.finish()
        } catch let f as Sender.Failure {
            bar.finish()
            FileHandle.standardError("dicomfs: error: \(f.description)")
            throw ExitCode(f.unusable ? Exit.unusable : Exit.findings)
        } catch let e as NetworkError {
            bar.finish()
            FileHandle.standardError("dicomfs: error: \(e.description)")
            throw ExitCode(Exit.findings)
        }
        if json { Output.json(report) } else {
            var out = "\(dryRun ? "Would send" : "Sent") \(source) to \(report.destination)\(report.verification.map { " (verified: \($0))" } ?? "")\n"
            out += "  stored: \(report.sent), failed: \(report.failed), sent before: \(report.sentBefore)\n"
            for e in report.instances where e.status != "0000" && e.status != "sent before" || e.coerced != nil {
                out += "  \(e.file): \(e.status)\(e.comment.map { " " + $0 } ?? "")\(e.coerced.map { " [" + $0.joined(separator: "; ") + "]" } ?? "")\n"
            }
            Output.text(out)
        }
        if report.failed > 0 { throw ExitCode(Exit.findings) }
    }
}
