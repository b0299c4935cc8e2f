import Foundation

/// A MIME entity as read: its headers and its body, undecoded. Bounded everywhere: header
/// blocks, nesting depth and the number of parts have limits, and every problem is an
/// error naming what was expected.
struct MIMEEntity {
    var headers: [(name: String, value: String)]
    var body: ArraySlice<UInt8>

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    var contentType: MediaType { MediaType(header("content-type") ?? "text/plain") }
    var transferEncoding: String { (header("content-transfer-encoding") ?? "7bit").trimmingCharacters(in: .whitespaces).lowercased() }

    static let maxHeaderBytes = 1 << 20

    /// Headers up to the first empty line (CRLF or LF line ends), folded lines unfolded.
    static func parse(_ bytes: ArraySlice<UInt8>, what: String) throws -> MIMEEntity {
        var i = bytes.startIndex
        var lines: [String] = []
        while true {
            guard i < bytes.endIndex else { throw InterchangeError("\(what): the headers never end (no empty line before the body)") }
            guard i - bytes.startIndex < maxHeaderBytes else { throw InterchangeError("\(what): headers longer than 1 MB") }
            var end = i
            while end < bytes.endIndex && bytes[end] != 0x0A { end += 1 }
            var line = bytes[i..<end]
            if line.last == 0x0D { line = line.dropLast() }
            i = end < bytes.endIndex ? end + 1 : end
            if line.isEmpty { break }
            let text = String(decoding: line, as: UTF8.self)
            if (line.first == 0x20 || line.first == 0x09), !lines.isEmpty { lines[lines.count - 1] += " " + text.trimmingCharacters(in: .whitespaces) }
            else { lines.append(text) }
        }
        var headers: [(String, String)] = []
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { throw InterchangeError("\(what): header line without a colon: \"\(l.prefix(60))\"") }
            headers.append((l[..<colon].trimmingCharacters(in: .whitespaces).lowercased(), l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return MIMEEntity(headers: headers, body: bytes[i...])
    }

    /// The parts of a multipart body: between `--boundary` lines, up to `--boundary--`.
    func parts(what: String) throws -> [ArraySlice<UInt8>] {
        guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 70 else {
            throw InterchangeError("\(what): multipart without a valid boundary parameter (RFC 2046: 1–70 characters)")
        }
        let delimiter = Array(("--" + boundary).utf8)
        var starts: [(lineStart: Int, after: Int, close: Bool)] = []
        var i = body.startIndex
        while i < body.endIndex {
            // Delimiters stand at the start of a line.
            if (i == body.startIndex || body[i - 1] == 0x0A) && body[i...].starts(with: delimiter) {
                var j = i + delimiter.count
                let close = body[j...].starts(with: [0x2D, 0x2D])
                if close { j += 2 }
                while j < body.endIndex && (body[j] == 0x20 || body[j] == 0x09) { j += 1 }
                if j == body.endIndex || body[j] == 0x0A || (body[j] == 0x0D && j + 1 < body.endIndex && body[j + 1] == 0x0A) {
                    let after = j == body.endIndex ? j : (body[j] == 0x0D ? j + 2 : j + 1)
                    starts.append((i, after, close))
                    if close { break }
                    i = after
                    continue
                }
            }
            // Next line.
            while i < body.endIndex && body[i] != 0x0A { i += 1 }
            i += 1
            if starts.count > 1_000_000 { throw InterchangeError("\(what): more than a million parts") }
        }
        guard let last = starts.last, last.close else {
            throw InterchangeError("\(what): the multipart body ends without its closing boundary \"--\(boundary)--\" (truncated message?)")
        }
        var parts: [ArraySlice<UInt8>] = []
        for k in 0..<(starts.count - 1) {
            var end = starts[k + 1].lineStart
            // The line break before a delimiter belongs to the delimiter.
            if end > starts[k].after && body[end - 1] == 0x0A { end -= 1 }
            if end > starts[k].after && body[end - 1] == 0x0D { end -= 1 }
            parts.append(body[starts[k].after..<max(starts[k].after, end)])
        }
        return parts
    }

    /// The body decoded per Content-Transfer-Encoding.
    func decodedBody(what: String) throws -> [UInt8] {
        switch transferEncoding {
        case "base64": return try TransferEncoding.base64(body, what: what)
        case "quoted-printable": return try TransferEncoding.quotedPrintable(body, what: what)
        case "7bit", "8bit", "binary": return Array(body)
        default: throw InterchangeError("\(what): unknown Content-Transfer-Encoding \"\(transferEncoding)\"")
        }
    }
}

/// `type/subtype; name=value; name="quoted value"`, names lower-cased.
struct MediaType {
    var type: String
    var parameters: [String: String] = [:]

    init(_ text: String) {
        var rest = Substring(text)
        let end = rest.firstIndex(of: ";") ?? rest.endIndex
        type = rest[..<end].trimmingCharacters(in: .whitespaces).lowercased()
        rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let eq = rest.firstIndex(of: "=") else { break }
            let name = rest[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: eq)...].drop { $0 == " " || $0 == "\t" }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let c = rest.first, c != "\"" {
                    if c == "\\", rest.count > 1 { rest = rest.dropFirst(); value.append(rest.first ?? c) } else { value.append(c) }
                    rest = rest.dropFirst()
                }
                rest = rest.dropFirst()
            } else {
                let stop = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<stop].trimmingCharacters(in: .whitespaces)
                rest = rest[stop...]
            }
            parameters[name] = value
        }
    }
}

enum TransferEncoding {
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    static func base64(_ input: ArraySlice<UInt8>, what: String) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(input.count / 4 * 3)
        var quad: UInt32 = 0, n = 0, padding = 0
        for c in input {
            if c == 0x0D || c == 0x0A || c == 0x20 || c == 0x09 { continue }
            if c == UInt8(ascii: "=") { padding += 1; continue }
            let v = table[Int(c)]
            guard v != 0xFF, padding == 0 else { throw InterchangeError("\(what): invalid base64 (byte 0x\(String(c, radix: 16)) or data after padding)") }
            quad = quad << 6 | UInt32(v)
            n += 1
            if n == 4 {
                out += [UInt8(quad >> 16 & 0xFF), UInt8(quad >> 8 & 0xFF), UInt8(quad & 0xFF)]
                quad = 0; n = 0
            }
        }
        switch (n, padding) {
        case (0, 0): break
        case (2, 2), (2, 0): out.append(UInt8(quad >> 4 & 0xFF))
        case (3, 1), (3, 0): out += [UInt8(quad >> 10 & 0xFF), UInt8(quad >> 2 & 0xFF)]
        default: throw InterchangeError("\(what): base64 data is truncated (\(n) characters left over)")
        }
        return out
    }

    static func quotedPrintable(_ input: ArraySlice<UInt8>, what: String) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(input.count)
        var i = input.startIndex
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x37
            case 0x61...0x66: return c - 0x57
            default: return nil
            }
        }
        while i < input.endIndex {
            let c = input[i]
            if c == UInt8(ascii: "=") {
                if i + 1 < input.endIndex && input[i + 1] == 0x0A { i += 2; continue }
                if i + 2 < input.endIndex && input[i + 1] == 0x0D && input[i + 2] == 0x0A { i += 3; continue }
                guard i + 2 < input.endIndex, let h = hex(input[i + 1]), let l = hex(input[i + 2]) else {
                    throw InterchangeError("\(what): invalid quoted-printable escape at byte \(i - input.startIndex)")
                }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }
}
