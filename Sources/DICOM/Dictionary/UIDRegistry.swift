/// One UID of the PS3.6 registry.
public struct UIDEntry: Sendable {
    public let uid: String
    public let keyword: String
    public let name: String
    /// "SOP Class", "Transfer Syntax", "Well-known SOP Instance" …
    public let type: String
    public let isRetired: Bool
}

/// The standard UID registry (transfer syntaxes, SOP classes and more), built on first use.
public enum UIDRegistry {
    private static let byUID: [String: UIDEntry] = {
        var d: [String: UIDEntry] = [:]
        for line in uidTable.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 5 else { continue }
            d[String(f[0])] = UIDEntry(uid: String(f[0]), keyword: String(f[1]), name: String(f[2]),
                                       type: String(f[3]), isRetired: f[4] == "R")
        }
        return d
    }()

    public static func entry(for uid: String) -> UIDEntry? { byUID[uid] }

    public static var all: [UIDEntry] { byUID.values.sorted { $0.uid < $1.uid } }

    /// Whether a string is a syntactically valid UID (PS3.5 §9.1): ≤64 chars of digits and
    /// dots, non-empty components without leading zeros. The first arc is not judged here
    /// (see `firstArcWarning`): real files carry UIDs such as "999.999.2.…" that pydicom,
    /// DCMTK and dciodvfy all accept.
    public static func isValid(_ uid: String) -> Bool {
        var uid = uid
        return uid.withUTF8 { isValid(bytes: $0) }
    }

    public static func isValid(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard n > 0, n <= 64, let p = bytes.baseAddress else { return false }
        var componentStart = true
        for i in 0..<n {
            let b = p[i]
            if b == UInt8(ascii: ".") {
                if componentStart { return false }
                componentStart = true
            } else if b &- 0x30 < 10 {
                // No leading zero: a component is "0" or starts with 1–9.
                if componentStart && b == 0x30 && i + 1 < n && p[i + 1] != UInt8(ascii: ".") { return false }
                componentStart = false
            } else {
                return false
            }
        }
        return !componentStart
    }

    /// A warning when a valid UID's first arc is not 0 (ITU-T), 1 (ISO) or 2 (joint), as the
    /// OID rules (ISO/IEC 8824) that PS3.5 §9 builds on require; nil otherwise.
    public static func firstArcWarning(_ uid: String) -> String? {
        guard let dot = uid.utf8.firstIndex(of: UInt8(ascii: ".")) ?? Optional(uid.utf8.endIndex) else { return nil }
        let arc = String(uid[..<dot])
        guard arc != "0" && arc != "1" && arc != "2" else { return nil }
        return "UID \"\(uid)\" starts with arc \(arc); OIDs start with 0, 1 or 2 (ISO/IEC 8824, PS3.5 §9.1); accepted"
    }
}
