import DICOM

/// Something a reader or verifier found in a file-set, with what the standard expects. Its
/// `rule` is a stable identifier (`FindingRule`): reports, `--json` and exit statuses are
/// computed from rules and severities, never from the English of `message`.
public struct Finding: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, info
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.error, .warning, .info]
            return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
        }
    }

    public var severity: Severity
    public var rule: FindingRule
    /// What it concerns: "DICOMDIR", "record at byte 1234 (IMAGE)", a File ID.
    public var subject: String
    public var message: String
    /// The file concerned, relative to the file-set root ("DICOMDIR", a File ID path).
    public var file: String?
    /// Byte offset in that file (a record's item, an element) where there is one.
    public var offset: Int?
    /// The element concerned, as "(gggg,eeee)".
    public var tag: String?

    public init(_ severity: Severity, _ rule: FindingRule, _ subject: String, _ message: String,
                file: String? = nil, offset: Int? = nil, tag: Tag? = nil) {
        self.severity = severity
        self.rule = rule
        self.subject = subject
        self.message = message
        self.file = file
        self.offset = offset
        self.tag = tag?.description
    }

    /// The same with the location before the message (reads better where a message is long).
    public init(_ severity: Severity, _ rule: FindingRule, _ subject: String, file: String?, offset: Int? = nil, tag: Tag? = nil,
                _ message: String) {
        self.init(severity, rule, subject, message, file: file, offset: offset, tag: tag)
    }

    public var description: String { "\(severity.rawValue): \(subject): \(message)" }
}
