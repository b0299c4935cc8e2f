extension String {
    /// The text a C library wrote into a fixed buffer (an error message, a drive address, a
    /// version), up to its terminating zero, as UTF-8 with invalid bytes replaced: buffers
    /// filled by libisoburn or a codec are input, never trusted to be terminated or valid.
    public init(cBuffer buffer: [CChar]) {
        self = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
