#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes values that switch character sets with ISO 2022 escape sequences (PS3.5 §6.1.2.5),
/// as Japanese (IR 13/87/159), Korean (IR 149) and Chinese (IR 58) values do.
struct ISO2022Decoder {
    let initial: CodeElements
    let resetOnPNDelimiters: Bool

    /// Escape sequences and the code element each designates into G0 or G1.
    private static let designations: [([UInt8], CodeElement, isG0: Bool)] = {
        var list: [([UInt8], CodeElement, Bool)] = [
            ([0x28, 0x42], .ascii, true),            // ESC ( B  ISO-IR 6
            ([0x28, 0x4A], .ascii, true),            // ESC ( J  ISO-IR 14 Romaji
            ([0x29, 0x49], .katakana, false),        // ESC ) I  ISO-IR 13
            ([0x24, 0x42], .jisX0208, true),         // ESC $ B  ISO-IR 87
            ([0x24, 0x28, 0x44], .jisX0212, true),   // ESC $ ( D  ISO-IR 159
            ([0x24, 0x29, 0x43], .iconv("EUC-KR"), false), // ESC $ ) C  ISO-IR 149
            ([0x24, 0x29, 0x41], .iconv("GB2312"), false), // ESC $ ) A  ISO-IR 58
        ]
        for (term, info) in Repertoire.byTerm where term.hasPrefix("ISO 2022 IR ") {
            if let esc = info.escape, esc.count == 3, esc[1] == 0x2D, let g1 = info.elements.g1 {
                list.append((Array(esc.dropFirst()), g1, false))  // ESC - F: a 96-set into G1
            }
        }
        return list
    }()

    func decode(_ bytes: [UInt8]) -> String {
        var out = TextRuns()
        var state = initial
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B {
                if let (length, element, isG0) = matchEscape(bytes, at: i + 1) {
                    if isG0 { state.g0 = element } else { state.g1 = element }
                    i += 1 + length
                } else {
                    out.add(.ascii, 0x3F)  // unknown escape: show "?" and go on
                    i += 1
                }
                continue
            }
            if b < 0x80 {
                if state.g0.isTwoByteG0, (0x21...0x7E).contains(b), i + 1 < bytes.count, (0x21...0x7E).contains(bytes[i + 1]) {
                    if state.g0 == .jisX0212 { out.add(.iconv("EUC-JP"), 0x8F) }
                    out.add(.iconv("EUC-JP"), b | 0x80)
                    out.add(.iconv("EUC-JP"), bytes[i + 1] | 0x80)
                    i += 2
                    continue
                }
                out.add(.ascii, b)
                if isResetDelimiter(b) { state = initial }
                i += 1
                continue
            }
            switch state.g1 {
            case .iconv(let name)? where name == "EUC-KR" || name == "GB2312":
                out.add(.iconv(name), b)
                if i + 1 < bytes.count { out.add(.iconv(name), bytes[i + 1]) }
                i += 2
            case let g1?:
                out.add(g1, b)
                i += 1
            case nil:
                out.add(.latin1, b)
                i += 1
            }
        }
        return out.finish()
    }

    private func isResetDelimiter(_ b: UInt8) -> Bool {
        switch b {
        case 0x0D, 0x0A, 0x0C, 0x09, 0x5C: return true   // CR LF FF TAB and the value delimiter
        case 0x5E, 0x3D: return resetOnPNDelimiters      // ^ and = in person names
        default: return false
        }
    }

    private func matchEscape(_ bytes: [UInt8], at start: Int) -> (Int, CodeElement, Bool)? {
        for (seq, element, isG0) in Self.designations where start + seq.count <= bytes.count {
            if bytes[start..<start + seq.count].elementsEqual(seq) { return (seq.count, element, isG0) }
        }
        return nil
    }
}

/// Collects bytes in runs of one code element and converts each run once.
struct TextRuns {
    private var text = ""
    private var run: [UInt8] = []
    private var element: CodeElement = .ascii

    mutating func add(_ e: CodeElement, _ b: UInt8) {
        if e != element { flush(); element = e }
        run.append(b)
    }

    private mutating func flush() {
        guard !run.isEmpty else { return }
        switch element {
        case .ascii, .utf8: text += String(decoding: run, as: UTF8.self)
        case .latin1: text += decodeLatin1(run)
        case .katakana:
            var s = String.UnicodeScalarView()
            for b in run {
                // JIS X 0201 Katakana 0xA1–0xDF are the half-width forms U+FF61–U+FF9F.
                s.append((0xA1...0xDF).contains(b) ? Unicode.Scalar(0xFF61 + UInt32(b) - 0xA1) ?? "\u{FFFD}" : "\u{FFFD}")
            }
            text += String(s)
        case .iconv(let name), .iconvWhole(let name): text += Iconv.decode(run, from: name)
        case .jisX0208, .jisX0212: text += Iconv.decode(run, from: "EUC-JP")
        }
        run.removeAll(keepingCapacity: true)
    }

    mutating func finish() -> String {
        flush()
        return text
    }
}

/// glibc iconv, for the character sets the standard borrows from ISO 8859, TIS, EUC and GB.
enum Iconv {
    /// Converts to UTF-8; undecodable bytes become U+FFFD, never an error.
    static func decode(_ bytes: [UInt8], from encoding: String) -> String {
        guard let out = convert(bytes, from: encoding, to: "UTF-8", replacement: [0xEF, 0xBF, 0xBD]) else {
            return decodeLatin1(bytes)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ text: String, to encoding: String) -> [UInt8]? {
        convert(Array(text.utf8), from: "UTF-8", to: encoding, replacement: nil)
    }

    /// Nil when the conversion is unknown, or (without a replacement) when input is invalid.
    private static func convert(_ input: [UInt8], from: String, to: String, replacement: [UInt8]?) -> [UInt8]? {
        let cd = iconv_open(to, from)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3)
        var chunk = [UInt8](repeating: 0, count: max(64, input.count * 4))
        var input = input
        var failed = false
        input.withUnsafeMutableBytes { inRaw in
            var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count
            while inLeft > 0 {
                let (rc, produced): (Int, Int) = chunk.withUnsafeMutableBytes { outRaw in
                    var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                    var outLeft = outRaw.count
                    let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (rc, outRaw.count - outLeft)
                }
                output.append(contentsOf: chunk[0..<produced])
                if rc != -1 { break }
                if errno == E2BIG { continue }
                // EILSEQ or EINVAL: an invalid or incomplete sequence.
                guard let replacement else { failed = true; return }
                output.append(contentsOf: replacement)
                inPtr = inPtr.map { $0 + 1 }
                inLeft -= 1
                iconv(cd, nil, nil, nil, nil)
            }
        }
        return failed ? nil : output
    }
}
