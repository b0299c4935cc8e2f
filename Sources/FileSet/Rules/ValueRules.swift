import DICOM

/// A value against its VR (PS3.5 §6.2: character repertoire, length, format of DA, TM, DT,
/// UI, CS, IS, DS, AS) and against the dictionary's VM. `verify` reports what breaks these
/// in DICOMDIR keys; `create` and `add` never write such a value (`RecordKeyMaker` takes the
/// first of too many values, leaves a bad Type 2 key empty, refuses a bad Type 1 key), each
/// said in the report.
public enum ValueRules {
    /// The VRs whose values may use characters beyond the default repertoire when (0008,0005)
    /// says so (PS3.5 §6.1.2.3).
    public static let textVRs: Set<VR> = [.SH, .LO, .ST, .LT, .UT, .PN, .UC]

    /// The first byte of `raw` outside the default repertoire (ISO-IR 6: printable ASCII, and
    /// the control characters text VRs allow), as "0xFC"; nil when there is none.
    public static func outsideDefaultRepertoire(_ raw: [UInt8]) -> String? {
        guard let b = raw.first(where: { $0 >= 0x80 || $0 == 0x1B || ($0 < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x00].contains($0)) }) else { return nil }
        let h = String(b, radix: 16, uppercase: true)
        return "0x" + (h.count == 1 ? "0" : "") + h
    }

    /// Problems with `values` (already split at backslashes) of an element of this tag and VR.
    public static func problems(_ tag: Tag, _ vr: VR, _ values: [String]) -> [String] {
        var out: [String] = []
        if values.count > 1, let vm = DataDictionary.entry(for: tag)?.vm, vm == "1" {
            out.append("\(values.count) values where the dictionary allows 1 (VM 1)")
        }
        for v in values where !v.isEmpty {
            if let p = problem(v, vr) { out.append("value \"\(v.prefix(80))\" \(p)") }
        }
        return out
    }

    /// True when the encoded value (backslash-separated, space-padded) certainly holds: the
    /// check a scan makes for every key of every file, on bytes, without making strings.
    /// False means "look closer" (`problem`), not "wrong".
    static func quickOK(_ vr: VR, _ raw: [UInt8]) -> Bool {
        switch vr {
        case .SH, .AE: return raw.count <= 16
        case .LO, .PN: return raw.count <= 64
        case .CS:
            var n = 0
            for c in raw {
                if c == 0x5C { n = 0; continue }
                n += 1
                guard n <= 16, c &- 0x41 < 26 || c &- 0x30 < 10 || c == 0x5F || c == 0x20 else { return false }
            }
            return true
        case .IS, .DS:
            return raw.count <= 16 && raw.allSatisfy { $0 &- 0x30 < 10 || $0 == 0x20 || $0 == 0x5C || (vr == .DS && ($0 == 0x2E || $0 == 0x2D || $0 == 0x2B)) || (vr == .IS && ($0 == 0x2D || $0 == 0x2B)) }
                && raw.first.map { $0 != 0x5C } ?? true && (vr == .DS || raw.count <= 12)
        case .DA:
            return (raw.count == 8 || (raw.count == 9 && raw[8] == 0x20)) && raw.prefix(8).allSatisfy { $0 &- 0x30 < 10 }
                && (1...12).contains(Int(raw[4] &- 0x30) * 10 + Int(raw[5] &- 0x30)) && (1...31).contains(Int(raw[6] &- 0x30) * 10 + Int(raw[7] &- 0x30))
        case .TM:
            var t = raw[...]
            while t.last == 0x20 { t = t.dropLast() }
            return [2, 4, 6].contains(t.count) && t.allSatisfy { $0 &- 0x30 < 10 } && (Int(t[t.startIndex] &- 0x30) * 10 + Int(t[t.startIndex + 1] &- 0x30)) < 24
        case .UI, .SQ: return true
        default: return false
        }
    }

    static func problem(_ v: String, _ vr: VR) -> String? {
        let b = Array(v.utf8)
        func digits(_ s: ArraySlice<UInt8>) -> Bool { !s.isEmpty && s.allSatisfy { $0 &- 0x30 < 10 } }
        switch vr {
        case .UI:
            return UIDRegistry.isValid(v) ? nil : "is not a UID (digits and dots, no leading zeros, at most 64 characters; PS3.5 §9.1)"
        case .CS:
            if b.count > 16 { return "is \(b.count) characters; CS allows 16" }
            return b.allSatisfy({ $0 &- 0x41 < 26 || $0 &- 0x30 < 10 || $0 == 0x5F || $0 == 0x20 }) ? nil
                : "has characters CS does not allow (A–Z, 0–9, space, _)"
        case .SH, .AE: return v.count > 16 ? "is \(v.count) characters; \(vr.rawValue) allows 16" : nil
        case .LO: return v.count > 64 ? "is \(v.count) characters; LO allows 64" : nil
        case .PN:
            return v.split(separator: "=", omittingEmptySubsequences: false).contains { $0.count > 64 } ? "has a component group over 64 characters" : nil
        case .DA:
            guard b.count == 8, digits(b[...]), let m = Int(v.dropFirst(4).prefix(2)), let d = Int(v.suffix(2)),
                  (1...12).contains(m), (1...31).contains(d) else { return "is not a date YYYYMMDD (PS3.5 Table 6.2-1)" }
            return nil
        case .TM:
            let parts = v.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let hms = Array(parts[0].utf8)
            guard [2, 4, 6].contains(hms.count), digits(hms[...]), (parts.count == 1 || (1...6).contains(parts[1].count) && digits(Array(parts[1].utf8)[...])),
                  let h = Int(String(parts[0].prefix(2))), h < 24 else { return "is not a time HHMMSS.FFFFFF (PS3.5 Table 6.2-1)" }
            return nil
        case .DT:
            let core = b.prefix { $0 != 0x2B && $0 != 0x2D }
            let whole = core.split(separator: 0x2E, maxSplits: 1)
            guard let first = whole.first, [4, 6, 8, 10, 12, 14].contains(first.count), digits(first) else {
                return "is not a date-time YYYYMMDDHHMMSS.FFFFFF&ZZXX (PS3.5 Table 6.2-1)"
            }
            return nil
        case .IS:
            let t = v.trimmingCharacters(in: " ")
            guard t.utf8.count <= 12, let n = Int(t), n >= Int(Int32.min), n <= Int(Int32.max) else { return "is not an integer string (PS3.5 Table 6.2-1)" }
            return nil
        case .DS:
            let t = v.trimmingCharacters(in: " ")
            guard t.utf8.count <= 16, Double(t) != nil, t.utf8.allSatisfy({ $0 &- 0x30 < 10 || [0x2B, 0x2D, 0x2E, 0x45, 0x65].contains($0) }) else {
                return "is not a decimal string (PS3.5 Table 6.2-1)"
            }
            return nil
        case .AS:
            guard b.count == 4, digits(b[0..<3]), [0x44, 0x57, 0x4D, 0x59].contains(b[3]) else { return "is not an age nnnD, nnnW, nnnM or nnnY" }
            return nil
        default:
            return nil
        }
    }
}

private extension String {
    func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
