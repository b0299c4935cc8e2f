/// Something a reader or verifier found in a file-set, with what the standard expects.
public struct Finding: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, info
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.error, .warning, .info]
            return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
        }
    }

    public var severity: Severity
    /// What it concerns: "DICOMDIR", "record at byte 1234 (IMAGE)", a File ID.
    public var subject: String
    public var message: String

    public init(_ severity: Severity, _ subject: String, _ message: String) {
        self.severity = severity
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(severity.rawValue): \(subject): \(message)" }
}
