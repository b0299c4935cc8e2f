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
}
