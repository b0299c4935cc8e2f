/// A decoding failure that says where: file, byte offset, element, and what was expected.
public struct DICOMError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case notDICOM, truncated, invalidLength, invalidEncoding, tooDeep, io, unsupported
    }

    public var kind: Kind
    public var file: String?
    /// Offset of the element where decoding stopped, from byte 0 of the file
    /// (for deflated data sets: of the inflated stream, see `inInflatedStream`).
    public var offset: Int?
    public var tag: Tag?
    public var message: String
    public var inInflatedStream = false

    public init(_ kind: Kind, _ message: String, offset: Int? = nil, tag: Tag? = nil, file: String? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.tag = tag
        self.file = file
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let offset {
            parts.append(inInflatedStream ? "at byte \(offset) of the inflated data set" : "at byte \(offset)")
        }
        if let tag {
            let keyword = DataDictionary.entry(for: tag)?.keyword ?? (tag.isPrivate ? "private" : "unknown")
            parts.append("element \(tag) \(keyword)")
        }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    public func withFile(_ path: String) -> DICOMError {
        var copy = self
        copy.file = path
        return copy
    }
}

/// An error whose description is written for the user (dicomfs's own error types): it says
/// which file, element or peer and what was expected. A library's or Foundation's error is
/// not one, and its description never reaches a user (`userText`).
public protocol DescribedError: Error, CustomStringConvertible {}

/// What to tell a user of `error`: its own text when it is one of ours, else `otherwise`.
public func userText(_ error: Error, otherwise: String = "an unexpected failure") -> String {
    (error as? DescribedError)?.description ?? otherwise
}

extension DICOMError: DescribedError {}
