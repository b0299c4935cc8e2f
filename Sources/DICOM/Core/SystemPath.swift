#if canImport(Glibc)
import Glibc
#endif

/// File names on Linux are bytes, not text. A name that is not UTF-8 (a Latin-1 "ü" from an
/// old PACS export, a Shift-JIS name from a Windows disc) must still be walked, opened and
/// reported, so paths are carried as Strings in which each byte that is not part of UTF-8 is
/// one scalar of U+F780…U+F7FF (PUA, after PEP 383's surrogate escape, which Swift Strings
/// cannot hold). The mapping is lossless both ways: a real name holding a scalar of that
/// range has its UTF-8 bytes escaped too, so every byte string decodes to one String and
/// encodes back to itself. Every system call that takes a path converts with `withCPath`;
/// messages show paths through `display`, which writes escaped bytes as `\xNN`.
public enum SystemPath {
    static let escapeBase: UInt32 = 0xF700

    /// A name or path as the kernel gave it (readdir, argv).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // The commonest case, ASCII names: nothing to check further.
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        // Valid UTF-8 without any scalar of the escape range (EF 9E/9F …).
        if let s = String(validating: bytes, as: UTF8.self), !bytes.contains(0xEF) || !s.unicodeScalars.contains(where: isEscape) {
            return s
        }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = decodeOne(bytes, at: i), !isEscape(scalar) {
                scalars.append(scalar)
                i += length
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[i]))!)
                i += 1
            }
        }
        return String(scalars)
    }

    public static func decode(cString: UnsafePointer<CChar>) -> String {
        let n = strlen(cString)
        return cString.withMemoryRebound(to: UInt8.self, capacity: n) { decode(UnsafeBufferPointer(start: $0, count: n)) }
    }

    /// The bytes the kernel knows the path by.
    public static func bytes(_ path: String) -> [UInt8] {
        guard path.unicodeScalars.contains(where: isEscape) else { return Array(path.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for s in path.unicodeScalars {
            if isEscape(s) { out.append(UInt8(s.value - escapeBase)) } else { out.append(contentsOf: String(s).utf8) }
        }
        return out
    }

    /// Calls `body` with the path as the NUL-terminated bytes the kernel knows it by.
    @inline(__always)
    public static func withCPath<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        // No escape can be in a path without the byte EF (memchr, not a generic scan).
        var copy = path
        if copy.withUTF8({ $0.isEmpty || memchr($0.baseAddress!, 0xEF, $0.count) == nil }) { return try path.withCString(body) }
        var b = bytes(path)
        b.append(0)
        return try b.withUnsafeBufferPointer { try $0.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) } }
    }

    /// For messages: bytes that are not UTF-8 shown as `\xNN`, everything else as it is.
    public static func display(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: isEscape) else { return path }
        var out = ""
        for s in path.unicodeScalars {
            if isEscape(s) {
                let v = s.value - escapeBase
                out += "\\x" + (v < 16 ? "0" : "") + String(v, radix: 16, uppercase: true)
            } else { out.unicodeScalars.append(s) }
        }
        return out
    }

    /// Whether the path holds bytes that are not UTF-8 (it cannot be written into text formats
    /// as it is).
    public static func hasRawBytes(_ path: String) -> Bool { path.unicodeScalars.contains(where: isEscape) }

    static func isEscape(_ s: Unicode.Scalar) -> Bool { s.value >= 0xF780 && s.value <= 0xF7FF }

    private static func decodeOne(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        let lead = b[i]
        let length: Int
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard i + length <= b.count else { return nil }
        guard let s = String(validating: UnsafeBufferPointer(rebasing: b[i..<(i + length)]), as: UTF8.self),
              let scalar = s.unicodeScalars.first, s.unicodeScalars.count == 1 else { return nil }
        return (scalar, length)
    }
}
