/// How much of a file to read and how strictly.
public struct ReadOptions: Sendable {
    /// Stop before the first top-level element with a tag at or after this one (header-only scan).
    public var stopBefore: Tag?
    /// Values of bulk VRs (OB, OW, UN …) longer than this stay on disk as `.notLoaded`.
    public var bulkDataThreshold: Int?
    /// Deepest sequence nesting accepted; deeper input is an error, not a stack overflow.
    public var maxDepth: Int
    /// Turn tolerated irregularities (odd lengths, VRs contradicting the dictionary) into errors.
    public var strict: Bool
    /// Keep only these top-level elements; the others are skipped without being copied.
    /// Specific Character Set and Pixel Representation are always kept (decoding needs them).
    public var keepOnly: Set<Tag>?
    /// Bytes fetched per read from the source beyond what is needed (0: exactly what is needed).
    public var readAhead: Int

    public init(stopBefore: Tag? = nil, bulkDataThreshold: Int? = nil, maxDepth: Int = 64, strict: Bool = false,
                readAhead: Int = 16 * 1024) {
        self.stopBefore = stopBefore
        self.bulkDataThreshold = bulkDataThreshold
        self.maxDepth = maxDepth
        self.strict = strict
        self.readAhead = readAhead
    }

    /// Everything up to Pixel Data, in one or two reads for a typical file.
    public static let headerOnly = ReadOptions(stopBefore: .pixelData, bulkDataThreshold: 4096, readAhead: 8 * 1024)
}
