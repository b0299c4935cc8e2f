import FileSet
import Foundation

/// A file-set as one MIME entity (PS3.10 Annex K): multipart/related (or mixed), one
/// application/dicom part per DICOM file with `id` = the File ID joined by "/" and
/// `name` = its last component + ".dcm" (the DICOMDIR: id and name "DICOMDIR"); other files
/// as parts of their own media type with a Content-Location naming their path.
public enum MIMEExport {
    public struct Options: Sendable {
        public var mixed = false
        /// Content-Transfer-Encoding binary instead of base64 (76-character lines).
        public var binary = false
        /// Split into message/partial fragments (RFC 2046 §5.2.2) of at most this many bytes.
        public var maxSize: Int?
        public init() {}
    }

    /// Writes `output` (or, with `maxSize`, `output.001`, `output.002`, …); returns the files.
    public static func export(fileSet root: String, to output: String, options: Options = Options()) throws -> [String] {
        try export(fileSet: root, to: output, options: options, leftOut: { _ in })
    }

    /// The same; `leftOut` hears of each file that stays out (a link, a FIFO, a name that is
    /// not text) with why.
    public static func export(fileSet root: String, to output: String, options: Options = Options(),
                              leftOut: (String) -> Void) throws -> [String] {
        let contents = try FileSetContents(root: root)
        contents.leftOut.forEach(leftOut)
        for item in contents.items where item.isDICOM {
            let id = item.path
            if id.utf8.count > 71 { throw InterchangeError("\(id): a MIME id is at most 71 characters (PS3.10 K.1.2)") }
            if id.split(separator: "/").contains(where: { $0.count > 8 }) { throw InterchangeError("\(id): id components are at most 8 characters (PS3.10 K.1.2)") }
        }
        // Built whole under a temporary name (fragments are cut from it), every write checked;
        // nothing appears under the output name unless it is complete.
        let whole = try StagedOutput(output)
        var boundary = "dicomfs-" + UUID().uuidString
        // A binary part could hold the boundary; base64 never can (it has no "-").
        if options.binary {
            while try contents.items.contains(where: { try contents.data($0).range(of: Data(boundary.utf8)) != nil }) {
                boundary = "dicomfs-" + UUID().uuidString
            }
        }
        let crlf = "\r\n"
        let id = contents.fileSetID
        var head = "MIME-Version: 1.0" + crlf
        head += "Subject: DICOM file-set\(id.isEmpty ? "" : " " + id)" + crlf
        head += options.mixed ? "Content-Type: multipart/mixed; boundary=\"\(boundary)\"" + crlf
            : "Content-Type: multipart/related; type=\"application/dicom\"; boundary=\"\(boundary)\"" + crlf
        head += crlf + "This is a DICOM file-set in MIME format (DICOM PS3.10 Annex K)." + crlf
        try whole.write(Data(head.utf8))
        let encoding = options.binary ? "binary" : "base64"
        for item in contents.items {
            let data = try contents.data(item)
            let last = String(item.path.split(separator: "/").last ?? "")
            var part = crlf + "--" + boundary + crlf
            if item.isDICOM {
                let name = item.path == "DICOMDIR" ? "DICOMDIR" : last + ".dcm"
                part += "Content-Type: application/dicom; id=\"\(item.path)\"; name=\"\(name)\"" + crlf
            } else {
                part += "Content-Type: \(mediaType(last)); name=\"\(last)\"" + crlf
                part += "Content-Location: \(item.path)" + crlf
            }
            part += "Content-Transfer-Encoding: \(encoding)" + crlf + crlf
            try whole.write(Data(part.utf8))
            try whole.write(options.binary ? data : data.base64EncodedData(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))
        }
        try whole.write(Data((crlf + "--" + boundary + "--" + crlf).utf8))
        guard let maxSize = options.maxSize else {
            try whole.publish()
            return [output]
        }
        return try fragment(whole.temporary, into: output, maxSize: maxSize)
    }

    /// RFC 2046 §5.2.2: the message cut at line ends into pieces, each wrapped in a
    /// message/partial entity with the same id, its number and the total.
    static func fragment(_ path: String, into output: String, maxSize: Int) throws -> [String] {
        let message: Data
        do { message = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw InterchangeError("\(path): cannot read back the message") }
        let id = UUID().uuidString + "@dicomfs"
        func header(_ n: Int, _ total: Int) -> String {
            "MIME-Version: 1.0\r\nContent-Type: message/partial; id=\"\(id)\"; number=\(n); total=\(total)\r\n\r\n"
        }
        let budget = maxSize - header(999_999, 999_999).utf8.count
        guard budget >= 1024 else { throw InterchangeError("--max-size \(maxSize) is too small: a fragment needs room for its headers and at least 1 KB") }
        var cuts: [Range<Int>] = []
        var start = 0
        let bytes = [UInt8](message)
        while start < bytes.count {
            var end = min(bytes.count, start + budget)
            if end < bytes.count {
                // Back up to the last line end inside the budget (a base64 line is 78 bytes).
                var k = end
                while k > start && bytes[k - 1] != 0x0A { k -= 1 }
                if k > start { end = k }
            }
            cuts.append(start..<end)
            start = end
        }
        guard cuts.count <= 999_999 else { throw InterchangeError("--max-size \(maxSize) would make more than 999,999 fragments") }
        // Every fragment written and synced under its temporary name before any is published.
        var staged: [StagedOutput] = []
        for (i, r) in cuts.enumerated() {
            let out = try StagedOutput(output + "." + String(format: "%03d", i + 1))
            try out.write(Data(header(i + 1, cuts.count).utf8))
            try out.write(Data(bytes[r]))
            staged.append(out)
        }
        for out in staged { try out.publish() }
        return staged.map(\.destination)
    }

    static func mediaType(_ name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.uppercased() }) ?? "" {
        case "HTM", "HTML": return "text/html; charset=UTF-8"
        case "TXT": return "text/plain"
        case "CSS": return "text/css"
        case "JS": return "text/javascript"
        case "JPG", "JPEG": return "image/jpeg"
        case "PNG": return "image/png"
        case "PDF": return "application/pdf"
        case "XML": return "application/xml"
        default: return "application/octet-stream"
        }
    }
}
