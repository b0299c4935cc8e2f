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
    public var keepOnly: Set<Tag>? {
        didSet { keepOnlySorted = keepOnly.map { $0.map(\.rawValue).sorted() } }
    }
    /// Apply `keepOnly` to the File Meta Information too (a scan that needs only a few of its
    /// elements); by default the whole meta group is kept.
    public var keepOnlyAppliesToMeta = false
    /// The same tags sorted, for a hash-free test on the per-element path.
    private(set) var keepOnlySorted: [UInt32]?
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

    /// Whether a top-level element is to be kept under `keepOnly`.
    @inline(__always) func keeps(_ tag: Tag) -> Bool {
        guard let sorted = keepOnlySorted else { return true }
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if sorted[mid] < tag.rawValue { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == tag.rawValue
    }

    /// Everything up to Pixel Data, in one or two reads for a typical file.
    public static let headerOnly = ReadOptions(stopBefore: .pixelData, bulkDataThreshold: 4096, readAhead: 8 * 1024)
}
