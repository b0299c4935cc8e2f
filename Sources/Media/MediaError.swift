import DICOM
/// Errors of mastering, burning and reading media; each names the image or drive and what
/// was expected.
public enum MediaError: DescribedError, Sendable, Equatable {
    /// The libraries failed or are missing.
    case library(String)
    /// Input that cannot be used (a name PS3.12 forbids, too big for the medium, not an image).
    case unusable(String)
    /// Writing or reading the medium failed.
    case io(String)
    /// The user interrupted.
    case cancelled(String)

    public var description: String {
        switch self {
        case .library(let s), .unusable(let s), .io(let s), .cancelled(let s): return s
        }
    }
}
