/// A PN value: up to three component groups (alphabetic, ideographic, phonetic), each of up
/// to five components: family, given, middle, prefix, suffix (PS3.5 §6.2.1).
public struct PersonName: Sendable, Equatable, CustomStringConvertible {
    public var groups: [[String]]

    public init(parsing text: String) {
        groups = text.split(separator: "=", omittingEmptySubsequences: false).prefix(3).map { group in
            group.split(separator: "^", omittingEmptySubsequences: false).map { String($0) }
        }
    }

    public var alphabetic: String { group(0) }
    public var ideographic: String { group(1) }
    public var phonetic: String { group(2) }

    public var familyName: String { groups.first.flatMap { $0.first } ?? "" }
    public var givenName: String { groups.first.flatMap { $0.count > 1 ? $0[1] : nil } ?? "" }

    /// The group as written, trailing empty components removed ("Doe^John^^^" → "Doe^John").
    public func group(_ i: Int) -> String {
        guard i < groups.count else { return "" }
        var parts = groups[i]
        while parts.last == "" { parts.removeLast() }
        return parts.joined(separator: "^")
    }

    public var description: String {
        var g = (0..<groups.count).map(group)
        while g.last == "" { g.removeLast() }
        return g.joined(separator: "=")
    }

    /// A readable form for people: "John Doe" from "Doe^John".
    public var displayName: String {
        let parts = groups.first ?? []
        let ordered = [parts.count > 3 ? parts[3] : "", parts.count > 1 ? parts[1] : "",
                       parts.count > 2 ? parts[2] : "", parts.first ?? "", parts.count > 4 ? parts[4] : ""]
        let name = ordered.filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? group(1) : name
    }

    /// The name as people write it: "O'Neil, Anna" from "O'NEIL^ANNA" (a name in capitals is
    /// given capital initials), prefix and suffix around it, and the ideographic and phonetic
    /// groups after it as they are ("Yamada, Taro – 山田 太郎 (やまだ たろう)").
    public var forPeople: String {
        func component(_ g: [String], _ i: Int) -> String { i < g.count ? g[i].trimmingSpaces : "" }
        let a = groups.first ?? []
        let shout = a.joined().contains { $0.isLetter } && !a.joined().contains { $0.isLowercase }
        func cased(_ s: String) -> String { shout ? Self.initialCapitals(s) : s }
        let family = cased(component(a, 0)), given = cased(component(a, 1)), middle = cased(component(a, 2))
        let first = [given, middle].filter { !$0.isEmpty }.joined(separator: " ")
        var alpha = [family, first].filter { !$0.isEmpty }.joined(separator: ", ")
        let prefix = cased(component(a, 3)), suffix = cased(component(a, 4))
        if !prefix.isEmpty { alpha = prefix + " " + alpha }
        if !suffix.isEmpty { alpha += ", " + suffix }
        func plain(_ i: Int) -> String {
            guard i < groups.count else { return "" }
            return groups[i].map(\.trimmingSpaces).filter { !$0.isEmpty }.joined(separator: " ")
        }
        let ideographic = plain(1), phonetic = plain(2)
        var out = alpha
        if !ideographic.isEmpty { out += out.isEmpty ? ideographic : " – " + ideographic }
        if !phonetic.isEmpty { out += out.isEmpty ? phonetic : " (" + phonetic + ")" }
        return out
    }

    /// "O'NEIL" → "O'Neil", "SMITH-JONES" → "Smith-Jones": a capital after a letter boundary.
    static func initialCapitals(_ s: String) -> String {
        var out = ""
        var start = true
        for ch in s {
            out += start ? ch.uppercased() : ch.lowercased()
            start = !ch.isLetter
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
