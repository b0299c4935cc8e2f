/// An append-only little-endian byte buffer whose earlier 32-bit words can be patched:
/// sequence and item lengths, and DICOMDIR record offsets, are known only after the fact.
///
/// Its small writes are inlinable: encoders in other modules call them per byte and per
/// element header, and a call each would cost more than the write.
public struct ByteWriter: Sendable {
    @usableFromInline var storage: [UInt8] = []

    /// What was written so far.
    @inlinable public var bytes: [UInt8] { storage }

    public init(capacity: Int = 4096) { storage.reserveCapacity(capacity) }

    /// Continues writing (and patching) bytes made elsewhere.
    public init(adopting bytes: [UInt8]) { storage = bytes }

    /// Empties the buffer, keeping its storage for the next use.
    public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    @inlinable public var count: Int { storage.count }

    /// What was written, in storage of exactly its size: for bytes kept long, by the ten
    /// thousand, where the spare capacity of a growing buffer would be kept with them.
    public var exactBytes: [UInt8] {
        storage.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: src.count) { dst, n in
                if let from = src.baseAddress, let to = dst.baseAddress { to.initialize(from: from, count: src.count) }
                n = src.count
            }
        }
    }

    public mutating func reserve(additional n: Int) { storage.reserveCapacity(storage.count + n) }

    @inlinable public mutating func append(_ b: [UInt8]) { storage.append(contentsOf: b) }
    @inlinable public mutating func append(_ b: ArraySlice<UInt8>) { storage.append(contentsOf: b) }
    @inlinable public mutating func append(_ b: UnsafeBufferPointer<UInt8>) { storage.append(contentsOf: b) }

    /// A string's UTF-8 bytes, without an intermediate array.
    @inlinable @inline(__always) public mutating func append(utf8 s: String) {
        var s = s
        s.withUTF8 { storage.append(contentsOf: $0) }
    }
    @inlinable @inline(__always) public mutating func u8(_ v: UInt8) { storage.append(v) }
    @inlinable @inline(__always) public mutating func u16(_ v: UInt16) { storage.append(UInt8(v & 0xFF)); storage.append(UInt8(v >> 8)) }
    @inlinable @inline(__always) public mutating func u32(_ v: UInt32) { u16(UInt16(v & 0xFFFF)); u16(UInt16(v >> 16)) }
    @inlinable @inline(__always) public mutating func tag(_ t: Tag) { u16(t.group); u16(t.element) }

    @inlinable public mutating func patchU32(at offset: Int, _ v: UInt32) {
        storage[offset] = UInt8(v & 0xFF)
        storage[offset + 1] = UInt8(v >> 8 & 0xFF)
        storage[offset + 2] = UInt8(v >> 16 & 0xFF)
        storage[offset + 3] = UInt8(v >> 24)
    }

    /// Replaces every `from` byte written at or after `start` by `to` (a File ID's "/" by "\").
    @inlinable public mutating func replace(_ from: UInt8, with to: UInt8, from start: Int) {
        storage.withUnsafeMutableBufferPointer { b in
            for i in start..<b.count where b[i] == from { b[i] = to }
        }
    }
}
