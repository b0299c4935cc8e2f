/// Encodes data sets in Explicit (default) or Implicit VR Little Endian.
public struct DataSetEncoder: Sendable {
    public enum Length: Sendable { case defined, undefined }

    public var explicitVR: Bool
    /// Sequences and items with defined lengths (the default, what most readers expect) or
    /// undefined lengths with delimiters.
    public var sequenceLength: Length
    public var itemLength: Length

    public init(explicitVR: Bool = true, sequenceLength: Length = .defined, itemLength: Length = .defined) {
        self.explicitVR = explicitVR
        self.sequenceLength = sequenceLength
        self.itemLength = itemLength
    }

    /// The encoded bytes, in an array no larger than they are (callers may keep many).
    public func encode(_ dataSet: DataSet) throws -> [UInt8] {
        var w = ByteWriter(capacity: 256)
        try encode(dataSet, into: &w)
        return Array(w.bytes[...])  // a copy sized to its contents
    }

    public func encode(_ dataSet: DataSet, into w: inout ByteWriter) throws {
        for e in dataSet.elements { try encode(e, into: &w) }
    }

    /// What `encode(_:into:)` writes for a plain value in Explicit VR: the header and the value
    /// padded to even length; nil for sequences and fragments, which only encoding measures.
    /// (Writers that place elements before writing them size them with this.)
    public static func explicitSize(of e: DataElement) -> Int? {
        guard case .bytes(let raw) = e.value else { return nil }
        return (e.vr.hasLongLength ? 12 : 8) + raw.count + (raw.count & 1)
    }

    /// The same for a short-form text element of `count` bytes.
    public static func explicitTextSize(_ count: Int) -> Int { 8 + count + (count & 1) }

    public func encode(_ e: DataElement, into w: inout ByteWriter) throws {
        switch e.value {
        case .bytes(let raw):
            let odd = raw.count & 1 == 1
            try header(e.tag, e.vr, length: raw.count + (odd ? 1 : 0), into: &w)
            w.append(raw)
            if odd { w.u8(e.vr.paddingByte) }
        case .sequence(let items):
            try header(e.tag, .SQ, length: nil, into: &w)
            let lengthAt = w.count - 4
            let start = w.count
            for item in items { try encodeItem(item, into: &w) }
            if sequenceLength == .undefined {
                w.tag(.sequenceDelimitation); w.u32(0)
            } else {
                try w.patchU32(at: lengthAt, checkedLength(w.count - start, e.tag))
            }
        case .fragments(let pixels):
            try header(e.tag, e.vr, length: nil, into: &w)
            for fragment in [pixels.basicOffsetTable] + pixels.fragments {
                let padded = fragment.count & 1 == 1 ? fragment + [0] : fragment
                w.tag(.item); w.u32(try checkedLength(padded.count, e.tag)); w.append(padded)
            }
            w.tag(.sequenceDelimitation); w.u32(0)
        case .notLoaded:
            throw DICOMError(.unsupported, "value was not loaded (header-only read); cannot write it", tag: e.tag)
        }
    }

    /// Writes one sequence item; the caller can note `w.count` before it as the item's offset.
    public func encodeItem(_ item: DataSet, into w: inout ByteWriter) throws {
        w.tag(.item)
        w.u32(0xFFFF_FFFF)
        let lengthAt = w.count - 4
        let start = w.count
        try encode(item, into: &w)
        if itemLength == .undefined {
            w.tag(.itemDelimitation); w.u32(0)
        } else {
            try w.patchU32(at: lengthAt, checkedLength(w.count - start, .item))
        }
    }

    /// Element header; a nil length writes FFFFFFFF, patched later for defined lengths.
    private func header(_ tag: Tag, _ vr: VR, length: Int?, into w: inout ByteWriter) throws {
        w.tag(tag)
        let undefined: UInt32 = 0xFFFF_FFFF
        if explicitVR {
            let (a, b) = vr.letters
            w.u8(a)
            w.u8(b)
            if vr.hasLongLength {
                w.u16(0)
                w.u32(try length.map { try checkedLength($0, tag) } ?? undefined)
            } else {
                guard let length, length <= 0xFFFE else {
                    throw DICOMError(.invalidLength, "value of \(length ?? -1) bytes is too long for VR \(vr.rawValue) (at most 65534)", tag: tag)
                }
                w.u16(UInt16(length))
            }
        } else {
            w.u32(try length.map { try checkedLength($0, tag) } ?? undefined)
        }
    }

    private func checkedLength(_ n: Int, _ tag: Tag) throws -> UInt32 {
        guard n < 0xFFFF_FFFF else { throw DICOMError(.invalidLength, "value of \(n) bytes does not fit a 32-bit length", tag: tag) }
        return UInt32(n)
    }
}
