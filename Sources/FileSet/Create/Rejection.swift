/// Why a file cannot go into a file-set as it is, with the file when there is one: `create`
/// and `add` refuse the set on any of these, or with `--skip-invalid` leave exactly the files
/// named here out (and list them with the reason) and write the rest.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    /// The source file to leave out (as scanned: relative to the source, or absolute for add);
    /// nil for a problem no single file causes.
    public var path: String?
    public var message: String
    /// The rule broken, for scripts and tests (the message is for people).
    public var rule: FindingRule
    public var description: String { message }

    public init(_ path: String?, _ message: String, rule: FindingRule) {
        self.path = path
        self.message = message
        self.rule = rule
    }
}

extension Array where Element == Rejection {
    /// The files `--skip-invalid` can leave out to get past these rejections: every rejection
    /// names a file, and none of them was left out already (else leaving out more would not
    /// help). Nil when skipping cannot resolve them.
    func skippable(given excluded: Set<String>) -> Set<String>? {
        let offenders = Set(compactMap(\.path))
        guard allSatisfy({ $0.path != nil }), offenders.isDisjoint(with: excluded) else { return nil }
        return offenders
    }

    /// One note per file left out, its reasons joined (without the path each message repeats),
    /// followed by the notes of a later pass for other files.
    func leftOutNotes(then later: [CreateReport.Note]) -> [CreateReport.Note] {
        var reasons: [String: [String]] = [:]
        var rules: [String: FindingRule] = [:]
        for e in self {
            guard let path = e.path else { continue }
            let m = e.message.hasPrefix(path + ": ") ? String(e.message.dropFirst(path.count + 2)) : e.message
            reasons[path, default: []].append(m)
            if rules[path] == nil { rules[path] = e.rule }
        }
        return reasons.keys.sorted().map { CreateReport.Note(path: $0, reason: reasons[$0, default: []].joined(separator: "; "), rule: rules[$0]) }
            + later.filter { reasons[$0.path] == nil }
    }
}
