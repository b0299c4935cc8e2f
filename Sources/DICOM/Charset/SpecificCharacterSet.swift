/// The character repertoires of (0008,0005) Specific Character Set (PS3.3 §C.12.1.1.2,
/// PS3.5 §6.1) and how to decode bytes written in them.
public struct SpecificCharacterSet: Sendable, Equatable, CustomStringConvertible {
    /// The defined terms as written, e.g. ["", "ISO 2022 IR 87"].
    public let terms: [String]
    let initial: CodeElements
    /// True when the value uses ISO 2022 code extensions (escape sequences).
    let usesCodeExtensions: Bool
    /// A problem with the value (an unknown term), for readers to report.
    public let problem: String?

    public static let `default` = SpecificCharacterSet(terms: [])

    public init(_ value: String) {
        var terms = value.split(separator: "\\", omittingEmptySubsequences: false)
            .map { trimValue($0, vr: .CS) }
        while terms.count > 1, terms.last == "" { terms.removeLast() }
        if terms == [""] { terms = [] }
        self.init(terms: terms)
    }

    init(terms: [String]) {
        self.terms = terms
        var unknown: [String] = []
        var elements = CodeElements(g0: .ascii, g1: nil)
        if let first = terms.first, !first.isEmpty {
            if let known = Repertoire.byTerm[first] {
                elements = known.elements
            } else {
                unknown.append(first)
            }
        }
        for term in terms.dropFirst() where !term.isEmpty && Repertoire.byTerm[term] == nil {
            unknown.append(term)
        }
        initial = elements
        usesCodeExtensions = terms.count > 1 || terms.first?.hasPrefix("ISO 2022") == true
        problem = unknown.isEmpty ? nil
            : "unknown Specific Character Set term\(unknown.count > 1 ? "s" : "") \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); decoded as ASCII/Latin-1"
    }

    /// Whether 0x5C can only be the value delimiter: true for single-byte sets and UTF-8; false
    /// for GBK/GB18030 (0x5C may be a trailing byte) and ISO 2022 code extensions.
    var delimitersAreBytes: Bool {
        if usesCodeExtensions { return false }
        if case .iconvWhole? = initial.g1 { return false }
        return true
    }

    public var isDefault: Bool { terms.isEmpty || terms == ["ISO_IR 6"] || terms == ["ISO 2022 IR 6"] }
    public var isUTF8: Bool { terms.first == "ISO_IR 192" }

    public var description: String { terms.isEmpty ? "default (ISO_IR 6)" : terms.joined(separator: "\\") }

    /// Decodes a value of a VR that uses the Specific Character Set. PN values reset to the
    /// initial code elements at each component and group delimiter (PS3.5 §6.1.2.5.3).
    public func decode(_ bytes: [UInt8], vr: VR) -> String {
        // The common case costs one pass and one allocation.
        if !bytes.contains(where: { $0 >= 0x80 || $0 == 0x1B }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        if !usesCodeExtensions {
            return initial.decodeSimple(bytes)
        }
        return ISO2022Decoder(initial: initial, resetOnPNDelimiters: vr == .PN).decode(bytes)
    }

    /// Encodes text for this character set when it has no code extensions; nil when it cannot.
    public func encode(_ text: String) -> [UInt8]? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
        if usesCodeExtensions { return nil }
        switch initial.g1 {
        case .utf8?: return Array(text.utf8)
        case .latin1?:
            var out: [UInt8] = []
            for s in text.unicodeScalars {
                guard s.value < 0x100 else { return nil }
                out.append(UInt8(s.value))
            }
            return out
        case .iconv(let name)?, .iconvWhole(let name)?: return Iconv.encode(text, to: name)
        default: return nil
        }
    }
}

/// The code elements in force: G0 for bytes below 0x80, G1 for bytes from 0x80.
struct CodeElements: Equatable, Sendable {
    var g0: CodeElement
    var g1: CodeElement?

    /// Decoding without escape sequences: ASCII below 0x80, the G1 set above.
    func decodeSimple(_ bytes: [UInt8]) -> String {
        switch g1 {
        case .utf8?: return String(decoding: bytes, as: UTF8.self)
        case .iconvWhole(let name)?: return Iconv.decode(bytes, from: name)
        default:
            var out = TextRuns()
            for b in bytes {
                if b < 0x80 { out.add(.ascii, b) } else { out.add(g1 ?? .latin1, b) }
            }
            return out.finish()
        }
    }
}

/// One graphic character set of PS3.3 Table C.12-2/3/4/5 as this decoder handles it.
enum CodeElement: Equatable, Sendable {
    case ascii                       // ISO-IR 6 (and ISO-IR 14 JIS X 0201 Romaji, read as ASCII)
    case latin1                      // ISO-IR 100 upper half
    case katakana                    // ISO-IR 13: JIS X 0201 Katakana
    case iconv(String)               // single-byte upper halves and 2-byte EUC sets, via glibc
    case iconvWhole(String)          // GB18030, GBK: whole value, no code extensions
    case utf8                        // ISO_IR 192
    case jisX0208                    // ISO-IR 87, 2 bytes in G0
    case jisX0212                    // ISO-IR 159, 2 bytes in G0

    var isTwoByteG0: Bool { self == .jisX0208 || self == .jisX0212 }
}

/// Defined terms of (0008,0005) and the escape sequences of their ISO 2022 forms.
enum Repertoire {
    struct Info {
        var elements: CodeElements
        var escape: [UInt8]?
    }

    static let byTerm: [String: Info] = {
        var t: [String: Info] = [:]
        let single: [(Int, String, UInt8)] = [
            (100, "ISO-8859-1", 0x41), (101, "ISO-8859-2", 0x42), (109, "ISO-8859-3", 0x43),
            (110, "ISO-8859-4", 0x44), (144, "ISO-8859-5", 0x4C), (127, "ISO-8859-6", 0x47),
            (126, "ISO-8859-7", 0x46), (138, "ISO-8859-8", 0x48), (148, "ISO-8859-9", 0x4D),
            (203, "ISO-8859-15", 0x62), (166, "TIS-620", 0x54),
        ]
        for (ir, name, final) in single {
            let g1: CodeElement = ir == 100 ? .latin1 : .iconv(name)
            let info = Info(elements: CodeElements(g0: .ascii, g1: g1), escape: [0x1B, 0x2D, final])
            t["ISO_IR \(ir)"] = info
            t["ISO 2022 IR \(ir)"] = info
        }
        t["ISO_IR 6"] = Info(elements: CodeElements(g0: .ascii, g1: nil), escape: nil)
        t["ISO 2022 IR 6"] = Info(elements: CodeElements(g0: .ascii, g1: nil), escape: [0x1B, 0x28, 0x42])
        t["ISO_IR 13"] = Info(elements: CodeElements(g0: .ascii, g1: .katakana), escape: nil)
        t["ISO 2022 IR 13"] = Info(elements: CodeElements(g0: .ascii, g1: .katakana), escape: [0x1B, 0x29, 0x49])
        t["ISO 2022 IR 87"] = Info(elements: CodeElements(g0: .jisX0208, g1: nil), escape: [0x1B, 0x24, 0x42])
        t["ISO 2022 IR 159"] = Info(elements: CodeElements(g0: .jisX0212, g1: nil), escape: [0x1B, 0x24, 0x28, 0x44])
        t["ISO 2022 IR 149"] = Info(elements: CodeElements(g0: .ascii, g1: .iconv("EUC-KR")), escape: [0x1B, 0x24, 0x29, 0x43])
        t["ISO 2022 IR 58"] = Info(elements: CodeElements(g0: .ascii, g1: .iconv("GB2312")), escape: [0x1B, 0x24, 0x29, 0x41])
        t["ISO_IR 192"] = Info(elements: CodeElements(g0: .ascii, g1: .utf8), escape: nil)
        t["GB18030"] = Info(elements: CodeElements(g0: .ascii, g1: .iconvWhole("GB18030")), escape: nil)
        t["GBK"] = Info(elements: CodeElements(g0: .ascii, g1: .iconvWhole("GBK")), escape: nil)
        return t
    }()
}

func decodeLatin1(_ bytes: [UInt8]) -> String {
    var s = String.UnicodeScalarView()
    for b in bytes { s.append(Unicode.Scalar(b)) }
    return String(s)
}
