import DICOM
import FileSet
import Foundation

/// Reads a DICOM file-set back from MIME: one message or message/partial fragments in any
/// order, nested multiparts, any transfer encoding; every application/dicom part written at
/// the path its `id` names, after every check passed; then verified.
public enum MIMEImport {
    public struct Options: Sendable {
        /// Refuse a message whose parts decode to more than this in total.
        public var maxBytes: Int = 64 << 30
        public init() {}
    }

    public static func importFiles(_ inputs: [String], into output: String, options: Options = Options()) throws -> ImportReport {
        let message = try reassemble(inputs)
        let top = try MIMEEntity.parse(message[...], what: inputs.count == 1 ? inputs[0] : "the reassembled message")
        var problems: [String] = []
        var dicomCount = 0, otherCount = 0
        var skipped: [String] = []
        // Each accepted part goes to the hidden staging folder as it is decoded (one part in
        // memory at a time); the folder is published only when the whole message is accepted
        // and verifies, and removed otherwise.
        let staging = try StagingFolder(destination: output)
        var total = 0
        var seen: Set<String> = []

        func visit(_ e: MIMEEntity, depth: Int, what: String) throws {
            guard depth < 8 else { throw InterchangeError("\(what): multiparts nested deeper than 8") }
            let type = e.contentType
            if type.type.hasPrefix("multipart/") {
                for (k, p) in try e.parts(what: what).enumerated() {
                    try visit(try MIMEEntity.parse(p, what: "\(what), part \(k + 1)"), depth: depth + 1, what: "\(what), part \(k + 1)")
                }
                return
            }
            let data = try e.decodedBody(what: what)
            total += data.count
            if total > options.maxBytes { throw InterchangeError("\(what): the parts decode to more than \(options.maxBytes) bytes; refused (a decompression bomb, or raise the limit)") }
            if let declared = e.header("content-length").flatMap({ Int($0) }) ?? MediaType(e.header("content-disposition") ?? "x").parameters["size"].flatMap({ Int($0) }),
               data.count > declared {
                problems.append("\(what): decodes to \(data.count) bytes but declares \(declared)")
                return
            }
            if type.type == "application/dicom" {
                guard let id = type.parameters["id"] else { problems.append("\(what): application/dicom part without an id parameter (PS3.10 K.1.2)"); return }
                if let rule = IncomingPath.check(id, dicom: true) { problems.append("\(what): id \"\(id)\" \(rule)"); return }
                if !seen.insert(id).inserted {
                    problems.append(id == "DICOMDIR" ? "\(what): a second DICOMDIR (a file-set has exactly one)" : "\(what): a second part with id \"\(id)\"")
                    return
                }
                if id != "DICOMDIR" && id.split(separator: "/").last == "DICOMDIR" {
                    problems.append("\(what): a second DICOMDIR at \(id) (a file-set has exactly one, at its root)")
                    return
                }
                if problems.isEmpty { try staging.write(id, Data(data)) }
                dicomCount += 1
            } else if let location = e.header("content-location") {
                if let rule = IncomingPath.check(location, dicom: false) { skipped.append("\(location): not restored (\(rule))"); return }
                if !seen.insert(location).inserted { problems.append("\(what): a second part for \(location)"); return }
                if problems.isEmpty { try staging.write(location, Data(data)) }
                otherCount += 1
            } else {
                skipped.append("\(what): \(type.type) part without a Content-Location, ignored")
            }
        }
        try visit(top, depth: 0, what: inputs.count == 1 ? inputs[0] : "the message")
        if !seen.contains("DICOMDIR") { problems.append("no application/dicom part with id \"DICOMDIR\": this message does not carry a DICOM file-set") }
        if !top.contentType.type.hasPrefix("multipart/") { problems.append("the message is \(top.contentType.type), not a multipart DICOM file-set entity (PS3.10 K.1.1)") }
        guard problems.isEmpty else { throw InterchangeError("nothing was written; \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n  " + problems.joined(separator: "\n  ")) }

        var report = try staging.verify()
        try staging.commit()
        report.fileSet = output
        return ImportReport(fileSet: output, dicomFiles: dicomCount, otherFiles: otherCount, skipped: skipped, verification: report)
    }

    /// One message, or message/partial fragments (any order) joined into one.
    static func reassemble(_ inputs: [String]) throws -> [UInt8] {
        guard !inputs.isEmpty else { throw InterchangeError("no input") }
        var fragments: [(id: String, number: Int, total: Int?, body: ArraySlice<UInt8>, file: String)] = []
        var whole: [UInt8]?
        for file in inputs {
            // Read by us: a regular file only (a FIFO named here is refused, not waited on).
            let bytes: [UInt8]
            do {
                let source = try FileByteSource(path: file)
                bytes = try source.readBytes(at: 0, count: source.size) ?? []
            } catch let e as DICOMError { throw InterchangeError("\(file): \(e.message)") }
            let e = try MIMEEntity.parse(bytes[...], what: file)
            let type = e.contentType
            guard type.type == "message/partial" else {
                guard inputs.count == 1 else { throw InterchangeError("\(file): \(type.type), not a message/partial fragment; give one whole message or all its fragments") }
                whole = bytes
                continue
            }
            guard let id = type.parameters["id"], let number = type.parameters["number"].flatMap({ Int($0) }), number >= 1 else {
                throw InterchangeError("\(file): message/partial without id and number (RFC 2046 §5.2.2)")
            }
            fragments.append((id, number, type.parameters["total"].flatMap { Int($0) }, e.body, file))
        }
        if let whole { return whole }
        let ids = Set(fragments.map(\.id))
        guard ids.count == 1, let id = ids.first else { throw InterchangeError("fragments of \(ids.count) different messages (ids \(ids.sorted().joined(separator: ", ")))") }
        guard let total = fragments.compactMap(\.total).first else { throw InterchangeError("no fragment says the total (RFC 2046: the last one must)") }
        var byNumber: [Int: (body: ArraySlice<UInt8>, file: String)] = [:]
        for f in fragments {
            if let other = byNumber[f.number] { throw InterchangeError("fragment \(f.number) of \(id) given twice (\(other.file), \(f.file))") }
            if let t = f.total, t != total { throw InterchangeError("\(f.file): says total=\(t), another fragment says \(total)") }
            byNumber[f.number] = (f.body, f.file)
        }
        // The numbers come from the sender: checked against what was given before any range or
        // list is made of them (total=0, -1 or 100000000 are refused, not iterated).
        guard total >= 1 else { throw InterchangeError("message/partial says total=\(total); RFC 2046 §5.2.2 numbers fragments from 1") }
        if let extra = byNumber.keys.filter({ $0 > total }).min() { throw InterchangeError("fragment \(extra) is past total=\(total)") }
        guard total == byNumber.count else {
            let shown = total - byNumber.count <= 20
                ? (1...total).filter { byNumber[$0] == nil }.map(String.init).joined(separator: ", ")
                : "\(total - byNumber.count) fragments"
            throw InterchangeError("fragments missing: \(shown) of total=\(total) (message id \(id)); \(byNumber.count) given")
        }
        var out: [UInt8] = []
        for n in 1...total { out += byNumber[n]?.body ?? [] }
        return out
    }
}
