#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// The text a C library wrote into a fixed buffer (an error message, a drive address, a
    /// version), up to its terminating zero, as UTF-8 with invalid bytes replaced: buffers
    /// filled by libisoburn or a codec are input, never trusted to be terminated or valid.
    public init(cBuffer buffer: [CChar]) {
        self = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The system's text for an error number (`errno` unless given): the one spelling of
/// `strerror` for every module, so that a failed call reads the same wherever it is reported.
public func systemErrorText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
