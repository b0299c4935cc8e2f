import FileSet

/// PS3.12's naming rules for ISO 9660 interchange level 1, in one place. libisofs silently
/// rewrites names it dislikes (lower case to upper, `-` to `_`, long names truncated, 9-character
/// collision names), so dicomfs checks every name first and refuses, never lets it change.
public enum ISONames {
    /// Where a name breaks a rule, and which.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var rule: String
        public var description: String { "\(path): \(rule)" }
    }

    static func isNameCharacter(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }

    /// Checks one path of the tree to be mastered. Directories and DICOM files are File ID
    /// components (1–8 of A–Z 0–9 _); other files may add a 1–3 character extension (8.3).
    public static func violations(path: String, isDirectory: Bool, isDICOM: Bool) -> [Violation] {
        var out: [Violation] = []
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if components.count > 8 {
            out.append(Violation(path: path, rule: "\(components.count) levels; ISO 9660 and PS3.10 allow at most 8"))
        }
        for (i, name) in components.enumerated() {
            let last = i == components.count - 1
            let allowExtension = last && !isDirectory && !isDICOM
            if let rule = violation(name: name, allowExtension: allowExtension) {
                let what = last ? (isDirectory ? "directory" : isDICOM ? "DICOM file" : "file") : "directory"
                out.append(Violation(path: path, rule: "\(what) name \"\(name)\" \(rule)"))
            }
        }
        return out
    }

    static func violation(name: String, allowExtension: Bool) -> String? {
        let bytes = Array(name.utf8)
        let parts = bytes.split(separator: 0x2E, omittingEmptySubsequences: false)
        if parts.count > 2 || (parts.count == 2 && !allowExtension) {
            return allowExtension ? "has more than one dot (8.3 names only)" : "has an extension; PS3.12 names have none"
        }
        let base = parts[0], ext = parts.count == 2 ? parts[1] : []
        if base.isEmpty || base.count > 8 { return "is \(base.count) characters before any extension; ISO 9660 level 1 allows 1–8" }
        if ext.count > 3 || (parts.count == 2 && ext.isEmpty) { return "has an extension of \(ext.count) characters; 8.3 names allow 1–3" }
        if let bad = (base + ext).first(where: { !isNameCharacter($0) }) {
            let c = Character(Unicode.Scalar(bad))
            return (bad >= 0x61 && bad <= 0x7A) ? "has lower case (\"\(c)\"); only A–Z 0–9 _ are allowed"
                : "has \"\(bad < 0x80 ? String(c) : "non-ASCII")\"; only A–Z 0–9 _ are allowed"
        }
        return nil
    }

    /// The identifier ISO 9660 records for a file (`DICOMDIR.;1` on CD, `DICOMDIR;1` on DVD).
    public static func isoIdentifier(file name: String, media: MediaKind) -> String {
        name.contains(".") || media.keepsDot ? (name.contains(".") ? name : name + ".") + ";1" : name + ";1"
    }

    /// The File ID component a recorded identifier stands for: without `;1` and a bare dot.
    public static func fileIDComponent(_ identifier: String) -> String {
        var s = Substring(identifier)
        if let semicolon = s.lastIndex(of: ";") { s = s[..<semicolon] }
        if s.hasSuffix(".") { s = s.dropLast() }
        return String(s)
    }
}
