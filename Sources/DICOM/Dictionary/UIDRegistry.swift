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
    /// dots, components without leading zeros, a first arc of 0, 1 or 2.
    public static func isValid(_ uid: String) -> Bool {
        var uid = uid
        return uid.withUTF8 { isValid(bytes: $0) }
    }

    public static func isValid(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard n > 0, n <= 64, let p = bytes.baseAddress else { return false }
        // The first arc of an OID is 0 (ITU-T), 1 (ISO) or 2 (joint).
        guard p[0] &- 0x30 < 3, n == 1 || p[1] == UInt8(ascii: ".") else { return false }
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
}
