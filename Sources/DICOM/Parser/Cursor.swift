/// Raised by the cursor when the source ends early; the parser adds the element context.
struct EndOfData: Error {
    let needed: Int
    let available: Int
}

/// A read position over a `ByteSource` with a small window of buffered bytes.
///
/// Reads go to the source only when the window runs out, in blocks of `readAhead` bytes
/// (0: exactly what is asked). Large values are read straight into their own array.
final class Cursor {
    let source: ByteSource
    let size: Int
    private let readAhead: Int
    private var window: [UInt8] = []
    private var windowStart = 0
    private(set) var pos: Int
    var bigEndian = false
    /// Bytes pulled from the source so far (for the header-only guarantee and diagnostics).
    private(set) var bytesRead = 0

    init(source: ByteSource, at start: Int = 0, readAhead: Int) {
        self.source = source
        size = source.size
        pos = start
        self.readAhead = readAhead
    }

    var remaining: Int { size - pos }
    var atEnd: Bool { pos >= size }

    func seek(_ offset: Int) { pos = offset }

    /// Makes bytes [pos, pos + n) available in the window.
    @inline(__always) private func ensure(_ n: Int) throws {
        if pos >= windowStart && pos + n <= windowStart + window.count { return }
        try refill(n)
    }

    private func refill(_ n: Int) throws {
        guard n <= size - pos else { throw EndOfData(needed: n, available: size - pos) }
        let want = min(size - pos, max(n, readAhead))
        var fresh = [UInt8](repeating: 0, count: want)
        // Keep what the old window already holds past pos.
        var kept = 0
        let oldEnd = windowStart + window.count
        if pos >= windowStart && pos < oldEnd {
            kept = min(oldEnd - pos, want)
            let from = pos - windowStart
            for i in 0..<kept { fresh[i] = window[from + i] }
        }
        if kept < want {
            let got = try fresh.withUnsafeMutableBytes { buf in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buf[kept...]), at: pos + kept)
            }
            bytesRead += got
            guard kept + got >= n else { throw EndOfData(needed: n, available: kept + got) }
            if kept + got < want { fresh.removeLast(want - kept - got) }
        }
        window = fresh
        windowStart = pos
    }

    @inline(__always) func peekU8(at delta: Int = 0) throws -> UInt8 {
        try ensure(delta + 1)
        return window[pos - windowStart + delta]
    }

    @inline(__always) func peekU16(at delta: Int = 0) throws -> UInt16 {
        try ensure(delta + 2)
        let v = window.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: pos - windowStart + delta, as: UInt16.self) }
        return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }

    @inline(__always) func u16() throws -> UInt16 {
        let v = try peekU16()
        pos += 2
        return v
    }

    @inline(__always) func u32() throws -> UInt32 {
        try ensure(4)
        let v = window.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: pos - windowStart, as: UInt32.self) }
        pos += 4
        return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }

    @inline(__always) func u8() throws -> UInt8 {
        let v = try peekU8()
        pos += 1
        return v
    }

    /// Copies the next `n` bytes out; the caller has already checked `n` against what is left.
    func bytes(_ n: Int) throws -> [UInt8] {
        guard n <= size - pos else { throw EndOfData(needed: n, available: size - pos) }
        if n == 0 { return [] }
        // Small values go through the window so that later reads nearby are served from it.
        if n <= 4096 { try ensure(n) }
        if pos >= windowStart && pos + n <= windowStart + window.count {
            let from = pos - windowStart
            pos += n
            return Array(window[from..<from + n])
        }
        var out = [UInt8](repeating: 0, count: n)
        var have = 0
        let oldEnd = windowStart + window.count
        if pos >= windowStart && pos < oldEnd {
            have = oldEnd - pos
            let from = pos - windowStart
            for i in 0..<have { out[i] = window[from + i] }
        }
        let got = try out.withUnsafeMutableBytes { buf in
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buf[have...]), at: pos + have)
        }
        bytesRead += got
        guard have + got == n else { throw EndOfData(needed: n, available: have + got) }
        pos += n
        return out
    }

    func skip(_ n: Int) throws {
        guard n <= size - pos else { throw EndOfData(needed: n, available: size - pos) }
        pos += n
    }

    /// Whether all bytes from pos to the end are zero (trailing padding some writers leave).
    func restIsZero() throws -> Bool {
        let saved = pos
        defer { pos = saved }
        while pos < size {
            let chunk = try bytes(min(65536, size - pos))
            if chunk.contains(where: { $0 != 0 }) { return false }
        }
        return true
    }
}
