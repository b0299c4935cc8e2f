/// One data element of the PS3.6 registry.
public struct DictionaryEntry: Sendable {
    public let tag: Tag
    /// As the registry states it, which may offer choices: "US or SS", "OB or OW".
    public let vrText: String
    public let vm: String
    public let keyword: String
    public let name: String
    public let isRetired: Bool

    /// The VR the registry allows first; nil for the delimiters ("NONE").
    public var vr: VR? {
        let first = vrText.split(separator: " ").first.map(String.init) ?? vrText
        return VR(rawValue: first)
    }
}

/// The standard data dictionary, built once from the generated table on first use.
public enum DataDictionary {
    private struct Tables: Sendable {
        var byTag: [UInt32: DictionaryEntry] = [:]
        var byKeyword: [String: DictionaryEntry] = [:]
        /// Repeating groups such as (60xx,3000): matched by mask after the exact lookup fails.
        var repeaters: [(mask: UInt32, value: UInt32, entry: DictionaryEntry)] = []
    }

    /// Built on first use from the generated text, scanned as bytes (splitting 5,000 lines
    /// as Strings cost a tenth of a second, paid by the first command that looked anything up).
    private static let tables: Tables = {
        var t = Tables()
        t.byTag.reserveCapacity(5200)
        var text = dataElementTable
        text.withUTF8 { b in
            var lineStart = 0
            while lineStart < b.count {
                var lineEnd = lineStart
                while lineEnd < b.count && b[lineEnd] != 0x0A { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                // Up to six tab-separated fields.
                var fields: [Range<Int>] = []
                fields.reserveCapacity(6)
                var start = lineStart
                for i in lineStart...lineEnd where i == lineEnd || b[i] == 0x09 {
                    fields.append(start..<i)
                    start = i + 1
                }
                guard fields.count >= 6 else { continue }
                func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
                var mask: UInt32 = 0, value: UInt32 = 0
                for i in fields[0] {
                    let ch = b[i]
                    mask <<= 4; value <<= 4
                    if ch != UInt8(ascii: "x") {
                        mask |= 0xF
                        value |= UInt32(hexDigitValue(ch) ?? 0)
                    }
                }
                let retired = fields[5].count == 1 && b[fields[5].lowerBound] == UInt8(ascii: "R")
                let entry = DictionaryEntry(tag: Tag(rawValue: value), vrText: string(fields[1]), vm: string(fields[2]),
                                            keyword: string(fields[3]), name: string(fields[4]), isRetired: retired)
                if mask == 0xFFFF_FFFF {
                    t.byTag[value] = entry
                } else {
                    t.repeaters.append((mask, value, entry))
                }
                if !entry.keyword.isEmpty, t.byKeyword[entry.keyword] == nil { t.byKeyword[entry.keyword] = entry }
            }
        }
        return t
    }()

    public static func entry(for tag: Tag) -> DictionaryEntry? {
        if let e = tables.byTag[tag.rawValue] { return e }
        if tag.isPrivate { return nil }
        if tag.isGroupLength {
            return DictionaryEntry(tag: tag, vrText: "UL", vm: "1", keyword: "GroupLength", name: "Group Length", isRetired: false)
        }
        for r in tables.repeaters where tag.rawValue & r.mask == r.value { return r.entry }
        return nil
    }

    public static func entry(keyword: String) -> DictionaryEntry? { tables.byKeyword[keyword] }

    public static func keyword(for tag: Tag) -> String {
        if let e = entry(for: tag) { return e.keyword }
        if tag.isPrivateCreator { return "PrivateCreator" }
        return tag.isPrivate ? "PrivateTag" : "UnknownTag"
    }

    /// The VR an implicit-VR reader must assume (PS3.5 §A.1): the registry's first choice,
    /// OW for "OB or OW", SS for "US or SS" when Pixel Representation says signed.
    public static func implicitVR(for tag: Tag, signedPixels: Bool = false) -> VR {
        if tag.isGroupLength { return .UL }
        if tag.isPrivateCreator { return .LO }
        guard let e = entry(for: tag) else { return .UN }
        switch e.vrText {
        case "OB or OW": return .OW
        case "US or SS": return signedPixels ? .SS : .US
        case "US or SS or OW": return signedPixels ? .SS : .US
        default: return e.vr ?? .UN
        }
    }
}

@inlinable func hexDigitValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x41...0x46: return c - 0x41 + 10
    case 0x61...0x66: return c - 0x61 + 10
    default: return nil
    }
}
