/// An append-only little-endian byte buffer whose earlier 32-bit words can be patched:
/// sequence and item lengths, and DICOMDIR record offsets, are known only after the fact.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// Continues writing (and patching) bytes made elsewhere.
    public init(adopting bytes: [UInt8]) { self.bytes = bytes }

    /// Empties the buffer, keeping its storage for the next use.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    public var count: Int { bytes.count }

    /// What was written, in storage of exactly its size: for bytes kept long, by the ten
    /// thousand, where the spare capacity of a growing buffer would be kept with them.
    public var exactBytes: [UInt8] {
        bytes.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: src.count) { dst, n in
                if let from = src.baseAddress, let to = dst.baseAddress { to.initialize(from: from, count: src.count) }
                n = src.count
            }
        }
    }

    public mutating func reserve(additional n: Int) { bytes.reserveCapacity(bytes.count + n) }

    public mutating func append(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    public mutating func append(_ b: ArraySlice<UInt8>) { bytes.append(contentsOf: b) }
    public mutating func append(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }

    /// A string's UTF-8 bytes, without an intermediate array.
    public mutating func append(utf8 s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }
    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    public mutating func u32(_ v: UInt32) { u16(UInt16(v & 0xFFFF)); u16(UInt16(v >> 16)) }
    public mutating func tag(_ t: Tag) { u16(t.group); u16(t.element) }

    public mutating func patchU32(at offset: Int, _ v: UInt32) {
        bytes[offset] = UInt8(v & 0xFF)
        bytes[offset + 1] = UInt8(v >> 8 & 0xFF)
        bytes[offset + 2] = UInt8(v >> 16 & 0xFF)
        bytes[offset + 3] = UInt8(v >> 24)
    }
}
