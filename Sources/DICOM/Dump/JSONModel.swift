/// The DICOM JSON Model of PS3.18 §F.2.
///
/// Bulk data (OB, OD, OF, OL, OV, OW, UN and encapsulated Pixel Data) is either inlined as
/// base64 (`InlineBinary`) or, by default, left out: the attribute then carries only "vr" and
/// a "BulkDataLength" member (our extension; readers of the model ignore unknown members).
public struct DICOMJSON: Sendable {
    public var inlineBinary = false

    public init(inlineBinary: Bool = false) { self.inlineBinary = inlineBinary }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func quote(_ s: String) -> String { jsonQuote(s) }

    public func encode(_ dataSet: DataSet, meta: DataSet? = nil, pretty: Bool = true) -> String {
        var out = ""
        var elements = meta?.elements ?? []
        elements += dataSet.elements
        object(elements, in: dataSet, metaCount: meta?.count ?? 0, meta: meta, indent: pretty ? 0 : nil, into: &out)
        return out
    }

    private func object(_ elements: [DataElement], in ds: DataSet, metaCount: Int, meta: DataSet?, indent: Int?, into out: inout String) {
        if elements.isEmpty { out += "{}"; return }
        out += "{"
        for (i, e) in elements.enumerated() {
            if i > 0 { out += "," }
            newline(indent.map { $0 + 1 }, &out)
            out += "\"\(e.tag.hexString)\":" + (indent == nil ? "" : " ")
            attribute(e, in: i < metaCount ? (meta ?? ds) : ds, indent: indent.map { $0 + 1 }, into: &out)
        }
        newline(indent, &out)
        out += "}"
    }

    private func attribute(_ e: DataElement, in ds: DataSet, indent: Int?, into out: inout String) {
        out += "{\"vr\": \"\(e.vr.rawValue)\""
        switch e.value {
        case .sequence(let items):
            if !items.isEmpty {
                out += ", \"Value\": ["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    object(item.elements, in: item, metaCount: 0, meta: nil, indent: indent.map { $0 + 1 }, into: &out)
                }
                out += "]"
            }
        case .fragments(let p):
            if inlineBinary {
                var w = ByteWriter()
                for f in [p.basicOffsetTable] + p.fragments { w.tag(.item); w.u32(UInt32(f.count)); w.append(f) }
                out += ", \"InlineBinary\": \"\(base64(w.bytes))\""
            } else {
                out += ", \"BulkDataLength\": \(e.valueLength)"
            }
        case .notLoaded(let n):
            out += ", \"BulkDataLength\": \(n)"
        case .bytes(let b):
            values(e, b, in: ds, into: &out)
        }
        out += "}"
    }

    private func values(_ e: DataElement, _ b: [UInt8], in ds: DataSet, into out: inout String) {
        if b.isEmpty { return }
        var items: [String] = []
        switch e.vr {
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN:
            out += inlineBinary ? ", \"InlineBinary\": \"\(base64(b))\"" : ", \"BulkDataLength\": \(b.count)"
            return
        case .PN:
            items = ds.decodeStrings(b, vr: .PN).map { v in
                let name = PersonName(parsing: v)
                let keys = ["Alphabetic", "Ideographic", "Phonetic"]
                let members = (0..<min(3, name.groups.count)).compactMap { i -> String? in
                    let g = name.group(i)
                    return g.isEmpty ? nil : "\"\(keys[i])\": \(jsonQuote(g))"
                }
                return "{" + members.joined(separator: ", ") + "}"
            }
        case .IS, .DS:
            items = ds.decodeStrings(b, vr: e.vr).map { v in
                if v.isEmpty { return "null" }
                if isJSONNumber(v) { return v }
                if let d = Double(v), d.isFinite { return formatNumber(d) }
                return jsonQuote(v)
            }
        case .AT:
            items = (ds.tags(e.tag) ?? []).map { jsonQuote($0.hexString) }
        case .US, .SS, .UL, .SL, .SV, .UV:
            items = (ds.ints(e.tag) ?? []).map(String.init)
        case .FL, .FD:
            items = (ds.doubles(e.tag) ?? []).map { $0.isFinite ? formatNumber($0) : jsonQuote("\($0)") }
        default:
            items = ds.decodeStrings(b, vr: e.vr).map { $0.isEmpty ? "null" : jsonQuote($0) }
        }
        if !items.isEmpty { out += ", \"Value\": [" + items.joined(separator: ", ") + "]" }
    }

    private func newline(_ indent: Int?, _ out: inout String) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }
}

/// JSON string literal with the escapes RFC 8259 requires.
func jsonQuote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20:
            let h = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

/// Whether text is already a JSON number literal (so "1.50" keeps its digits).
func isJSONNumber(_ s: String) -> Bool {
    var it = Array(s.utf8)[...]
    func digits() -> Int { var n = 0; while let c = it.first, (0x30...0x39).contains(c) { it = it.dropFirst(); n += 1 }; return n }
    if it.first == UInt8(ascii: "-") { it = it.dropFirst() }
    if it.first == UInt8(ascii: "0") { it = it.dropFirst() } else if digits() == 0 { return false }
    if it.first == UInt8(ascii: ".") { it = it.dropFirst(); if digits() == 0 { return false } }
    if it.first == UInt8(ascii: "e") || it.first == UInt8(ascii: "E") {
        it = it.dropFirst()
        if it.first == UInt8(ascii: "+") || it.first == UInt8(ascii: "-") { it = it.dropFirst() }
        if digits() == 0 { return false }
    }
    return it.isEmpty
}

public func base64(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 3 <= bytes.count {
        let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
        out += [table[Int(v >> 18)], table[Int(v >> 12 & 63)], table[Int(v >> 6 & 63)], table[Int(v & 63)]]
        i += 3
    }
    let rest = bytes.count - i
    if rest > 0 {
        let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
        out += [table[Int(v >> 18)], table[Int(v >> 12 & 63)], rest == 2 ? table[Int(v >> 6 & 63)] : 0x3D, 0x3D]
    }
    return String(decoding: out, as: UTF8.self)
}
