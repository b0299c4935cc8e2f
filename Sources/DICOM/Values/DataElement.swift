/// The value of an element as stored in memory. Numeric values are always little-endian
/// here, whatever the transfer syntax: the reader normalizes, the writer writes as is.
public enum Value: Sendable, Equatable {
    case bytes([UInt8])
    case sequence([DataSet])
    case fragments(EncapsulatedPixelData)
    /// Bulk data left on disk by a header-only or bulk-skipping read; `length` bytes start
    /// at the element's `valueOffset`.
    case notLoaded(length: Int)
}

/// Pixel Data in an encapsulated transfer syntax (PS3.5 §A.4): a Basic Offset Table item
/// and then one item per fragment.
public struct EncapsulatedPixelData: Sendable, Equatable {
    public var basicOffsetTable: [UInt8]
    public var fragments: [[UInt8]]

    public init(basicOffsetTable: [UInt8] = [], fragments: [[UInt8]]) {
        self.basicOffsetTable = basicOffsetTable
        self.fragments = fragments
    }

    /// Offsets of the Basic Offset Table, one per frame (empty when the table is empty).
    public var frameOffsets: [UInt32] {
        load(basicOffsetTable, UInt32.self)
    }
}

public struct DataElement: Sendable, Equatable {
    public var tag: Tag
    public var vr: VR
    public var value: Value
    /// Where the element's header starts in the file (or inflated stream); nil when built in memory.
    public var offset: Int?
    /// Where its value starts; with `offset`, lets a caller read bulk data later.
    public var valueOffset: Int?
    /// Whether the file encoded it with undefined length (sequences, items, encapsulated pixels).
    public var hadUndefinedLength: Bool

    public init(_ tag: Tag, _ vr: VR, _ value: Value, offset: Int? = nil, valueOffset: Int? = nil, undefinedLength: Bool = false) {
        self.tag = tag
        self.vr = vr
        self.value = value
        self.offset = offset
        self.valueOffset = valueOffset
        hadUndefinedLength = undefinedLength
    }

    public init(_ tag: Tag, _ vr: VR, bytes: [UInt8]) {
        self.init(tag, vr, .bytes(bytes))
    }

    /// The VR to interpret the value with: an explicit UN on a standard tag (a value relayed
    /// from implicit-VR data, PS3.5 §6.2.2) is read as the dictionary's VR.
    public var interpretedVR: VR {
        vr == .UN && !tag.isPrivate ? DataDictionary.implicitVR(for: tag) : vr
    }

    /// The raw value bytes, or nil for sequences, fragments and unloaded bulk data.
    public var bytes: [UInt8]? {
        if case .bytes(let b) = value { return b }
        return nil
    }

    public var items: [DataSet]? {
        if case .sequence(let s) = value { return s }
        return nil
    }

    /// Length of the value in bytes as stored (for sequences and fragments: the items' content).
    public var valueLength: Int {
        switch value {
        case .bytes(let b): return b.count
        case .notLoaded(let n): return n
        case .fragments(let f): return f.fragments.reduce(f.basicOffsetTable.count) { $0 + $1.count }
        case .sequence(let items): return items.reduce(0) { $0 + $1.elements.reduce(0) { $0 + $1.valueLength } }
        }
    }
}
