/// A careful, dcmdump-like listing: tag, VR, value (decoded per character set), length, keyword,
/// with nesting shown by indentation.
public struct TextDump: Sendable {
    /// Longest value text shown before it is cut with "…" (nil: never cut).
    public var maxValueLength: Int? = 64
    /// Prefix each line with the element's byte offset.
    public var showOffsets = false

    public init(maxValueLength: Int? = 64, showOffsets: Bool = false) {
        self.maxValueLength = maxValueLength
        self.showOffsets = showOffsets
    }

    public func render(_ file: DICOMFile) -> String {
        var out = ""
        if let path = file.path { out += "# File: \(path)\n" }
        out += "# Preamble: \(Preamble.describe(file.preamble))\n"
        if file.hasMetaInformation {
            out += "# File Meta Information\n"
            render(file.meta, depth: 0, into: &out)
        } else {
            out += "# No File Meta Information\n"
        }
        out += "# Data set: \(file.transferSyntax)\n"
        render(file.dataSet, depth: 0, into: &out)
        if let stop = file.stoppedAt { out += "# Stopped before byte \(stop) (header only)\n" }
        return out
    }

    public func render(_ dataSet: DataSet, depth: Int, into out: inout String) {
        let indent = String(repeating: "  ", count: depth)
        for e in dataSet.elements {
            let keyword = DataDictionary.keyword(for: e.tag)
            let length = e.hadUndefinedLength ? "u/l" : String(e.valueLength)
            switch e.value {
            case .sequence(let items):
                line(&out, e.offset, indent, e.tag, e.vr.rawValue, "(Sequence, \(items.count) item\(items.count == 1 ? "" : "s"))", length, keyword)
                for (i, item) in items.enumerated() {
                    line(&out, nil, indent + "  ", .item, "na", "(Item #\(i + 1))", String(item.count) + " el", "Item")
                    render(item, depth: depth + 2, into: &out)
                }
            case .fragments(let p):
                line(&out, e.offset, indent, e.tag, e.vr.rawValue,
                     "(Encapsulated, offset table \(p.basicOffsetTable.count) bytes, \(p.fragments.count) fragment\(p.fragments.count == 1 ? "" : "s"))",
                     length, keyword)
                for (i, f) in p.fragments.enumerated() {
                    line(&out, nil, indent + "  ", .item, "pi", "(Fragment #\(i + 1)) " + hexPreview(f), String(f.count), "Item")
                }
            case .notLoaded(let n):
                line(&out, e.offset, indent, e.tag, e.vr.rawValue, "(not loaded, \(n) bytes)", length, keyword)
            case .bytes(let b):
                line(&out, e.offset, indent, e.tag, e.vr.rawValue, valueText(e, b, in: dataSet), length, keyword)
            }
        }
    }

    private func line(_ out: inout String, _ offset: Int?, _ indent: String, _ tag: Tag, _ vr: String,
                      _ value: String, _ length: String, _ keyword: String) {
        if showOffsets { out += offset.map { pad($0, 8) } ?? "        "; out += " " }
        var left = indent + tag.description + " " + vr + " " + value
        let width = 60
        if left.count < width { left += String(repeating: " ", count: width - left.count) }
        out += left + " # " + String(repeating: " ", count: max(0, 4 - length.count)) + length + " " + keyword + "\n"
    }

    private func valueText(_ e: DataElement, _ b: [UInt8], in ds: DataSet) -> String {
        if b.isEmpty { return "(no value)" }
        let text: String
        let vr = e.interpretedVR
        switch vr {
        case _ where vr.isString:
            let values = ds.decodeStrings(b, vr: vr)
            text = "[" + values.joined(separator: "\\") + "]"
            if vr == .UI, values.count == 1, let name = UIDRegistry.entry(for: values[0])?.name {
                return cut(text) + " = " + name
            }
        case .AT:
            text = (ds.tags(e.tag) ?? []).map(\.description).joined(separator: "\\")
        case .US, .SS, .UL, .SL, .SV, .UV:
            text = (ds.ints(e.tag) ?? []).map(String.init).joined(separator: "\\")
        case .FL, .FD:
            text = (ds.doubles(e.tag) ?? []).map { "\($0)" }.joined(separator: "\\")
        default:
            text = hexPreview(b)
        }
        return cut(text)
    }

    private func cut(_ s: String) -> String {
        guard let max = maxValueLength, s.count > max else { return s }
        return String(s.prefix(max)) + "…"
    }

    private func hexPreview(_ b: [UInt8]) -> String {
        let shown = b.prefix(16).map { byte -> String in
            let h = String(byte, radix: 16, uppercase: true)
            return h.count == 1 ? "0" + h : h
        }
        return shown.joined(separator: "\\") + (b.count > 16 ? "…" : "")
    }
}

/// What a preamble holds: PS3.10 §7.5 asks readers to notice executable content there.
public enum Preamble {
    public enum Kind: String, Sendable {
        case zero, tiff, executable, other
    }

    public static func classify(_ p: [UInt8]) -> (Kind, String) {
        if p.allSatisfy({ $0 == 0 }) { return (.zero, "all zero") }
        func starts(_ magic: [UInt8]) -> Bool { p.count >= magic.count && p[0..<magic.count].elementsEqual(magic) }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return (.tiff, "TIFF header") }
        if starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) { return (.tiff, "BigTIFF header") }
        let executables: [([UInt8], String)] = [
            ([0x4D, 0x5A], "Windows executable (MZ)"), ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
            ([0xFE, 0xED, 0xFA, 0xCE], "Mach-O executable"), ([0xFE, 0xED, 0xFA, 0xCF], "Mach-O executable"),
            ([0xCE, 0xFA, 0xED, 0xFE], "Mach-O executable"), ([0xCF, 0xFA, 0xED, 0xFE], "Mach-O executable"),
            ([0xCA, 0xFE, 0xBA, 0xBE], "Mach-O universal binary or Java class"), ([0x23, 0x21], "script (#!)"),
            ([0x50, 0x4B, 0x03, 0x04], "ZIP/JAR archive"), ([0x25, 0x50, 0x44, 0x46], "PDF document"),
        ]
        for (magic, what) in executables where starts(magic) { return (.executable, what) }
        return (.other, "non-zero, not a known format")
    }

    public static func describe(_ p: [UInt8]?) -> String {
        guard let p else { return "none" }
        return classify(p).1
    }
}
