import DICOM

/// A File ID (PS3.10 §8.2): 1–8 components of 1–8 characters from A–Z, 0–9 and "_",
/// written as a relative path on media and as a multi-valued CS in (0004,1500).
public struct FileID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let components: [String]

    /// Validates; use `violations(of:)` to learn every rule a candidate breaks.
    public init?(components: [String]) {
        guard FileID.violations(of: components).isEmpty else { return nil }
        self.components = components
    }

    /// A relative path with "/" separators, e.g. "DICOM/P0000001/I0000001".
    public init?(path: String) {
        self.init(components: path.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    }

    /// Unchecked: for values already validated (or read from a DICOMDIR to be judged later).
    init(trusted components: [String]) { self.components = components }

    public var path: String { components.joined(separator: "/") }
    /// The (0004,1500) value: components separated by backslashes.
    public var dicomValue: String { components.joined(separator: "\\") }
    public var description: String { path }

    public static func < (a: FileID, b: FileID) -> Bool { a.components.lexicographicallyPrecedes(b.components) }

    public enum Violation: Sendable, Equatable, CustomStringConvertible {
        case noComponents
        case tooManyComponents(Int)
        case emptyComponent
        case componentTooLong(String)
        case lowercase(String)
        case fileExtension(String)
        case illegalCharacter(String, Character)

        public var description: String {
            switch self {
            case .noComponents: return "File ID has no components"
            case .tooManyComponents(let n): return "\(n) path components, at most 8 allowed (PS3.10 §8.2)"
            case .emptyComponent: return "empty path component"
            case .componentTooLong(let c): return "component \"\(c)\" is \(c.count) characters, at most 8 allowed"
            case .lowercase(let c): return "component \"\(c)\" has lower-case letters; only A–Z, 0–9 and _ are allowed"
            case .fileExtension(let c): return "component \"\(c)\" has an extension; File IDs have none"
            case .illegalCharacter(let c, let ch): return "component \"\(c)\" has the character \"\(ch)\"; only A–Z, 0–9 and _ are allowed"
            }
        }
    }

    /// Every rule the components break, most specific reason per component.
    public static func violations(of components: [String]) -> [Violation] {
        if components.isEmpty { return [.noComponents] }
        // Fast path on bytes: a valid File ID needs no Character-level work.
        if components.count <= 8 && components.allSatisfy({ c in
            c.utf8.count >= 1 && c.utf8.count <= 8 && c.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
        }) { return [] }
        var found: [Violation] = []
        if components.count > 8 { found.append(.tooManyComponents(components.count)) }
        for c in components {
            if c.isEmpty { found.append(.emptyComponent); continue }
            if c == "." || c == ".." { found.append(.illegalCharacter(c, ".")); continue }
            if c.contains(".") { found.append(.fileExtension(c)) }
            else if let bad = c.first(where: { !isFileIDCharacter($0) && !$0.isLowercase }) { found.append(.illegalCharacter(c, bad)) }
            else if c.contains(where: { $0.isLowercase }) { found.append(.lowercase(c)) }
            if c.count > 8 { found.append(.componentTooLong(c)) }
        }
        return found
    }

    /// Whether a "/"-separated path is a valid File ID, decided on its bytes (the common case
    /// of a large in-place folder; `violations(of:)` says what is wrong with the others).
    public static func isValid(path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            var components = 1, length = 0
            for b in bytes {
                if b == 0x2F {
                    guard length > 0 else { return false }
                    components += 1
                    length = 0
                } else {
                    guard b &- 0x41 < 26 || b &- 0x30 < 10 || b == 0x5F else { return false }
                    length += 1
                    guard length <= 8 else { return false }
                }
            }
            return length > 0 && components <= 8
        }
    }

    static func isFileIDCharacter(_ ch: Character) -> Bool {
        guard let a = ch.asciiValue else { return false }
        return (0x41...0x5A).contains(a) || (0x30...0x39).contains(a) || a == 0x5F
    }

    /// File-set ID (0004,1130): 0–16 characters of the same set (PS3.10 §8.2, CS).
    public static func isValidFileSetID(_ id: String) -> Bool {
        id.count <= 16 && id.allSatisfy(isFileIDCharacter)
    }
}

extension FileID {
    /// Why a File ID read from a medium is not turned into a path.
    public struct Unresolvable: Error, Sendable, CustomStringConvertible {
        public let fileID: String
        public let reason: String
        public var description: String { "Referenced File ID \(fileID): \(reason); not opened (PS3.10 §8.2)" }
    }

    /// The one way a File ID read from a medium (a DICOMDIR record, a descriptor, a journal)
    /// becomes a path that anything opens, reads or deletes. Every component must be a File ID
    /// component (1–8 of A–Z, 0–9, _); lower case is let through for the tolerant reader, which
    /// then matches a real entry case-insensitively. `.`, `..`, separators, empty components
    /// and anything else are refused here, before any system call, so a crafted DICOMDIR cannot
    /// name a file outside its file-set; `ConfinedRoot` then opens the path beneath the root
    /// without following links.
    public func resolvedPath() -> Result<String, Unresolvable> {
        if components.isEmpty { return .failure(Unresolvable(fileID: dicomValue, reason: "it has no components")) }
        for c in components {
            let ok = c.utf8.count >= 1 && c.utf8.count <= 8 && c.utf8.allSatisfy {
                $0 &- 0x41 < 26 || $0 &- 0x61 < 26 || $0 &- 0x30 < 10 || $0 == 0x5F
            }
            if !ok {
                let shown = SystemPath.display(c)
                let why = c == ".." || c == "." ? "component \"\(c)\" would lead out of the file-set"
                    : c.isEmpty ? "it has an empty component"
                    : "component \"\(shown)\" is not 1–8 characters of A–Z, 0–9 and _"
                return .failure(Unresolvable(fileID: SystemPath.display(dicomValue), reason: why))
            }
        }
        return .success(path)
    }

    /// The same for a "/"-separated path read from a medium (a journal line); nil when refused.
    public static func resolvedPath(of path: String) -> String? {
        try? FileID(trusted: path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)).resolvedPath().get()
    }
}
