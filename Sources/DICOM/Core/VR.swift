/// Value Representations of PS3.5 §6.2, with the encoding facts the codec needs.
public enum VR: String, Sendable, CaseIterable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW
    case PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV

    /// Decodes the two VR bytes of an explicit-VR element header (a table lookup: this runs
    /// once per element of every file scanned).
    @inlinable public init?(_ b0: UInt8, _ b1: UInt8) {
        guard (0x41...0x5A).contains(b0), (0x41...0x5A).contains(b1) else { return nil }
        guard let vr = VR.byLetters[Int(b0 - 0x41) * 26 + Int(b1 - 0x41)] else { return nil }
        self = vr
    }

    /// The two ASCII letters, for writers (no String work per element).
    @inlinable public var letters: (UInt8, UInt8) { VR.lettersByVR[self] ?? (0x55, 0x4E) }

    @usableFromInline static let lettersByVR: [VR: (UInt8, UInt8)] = Dictionary(uniqueKeysWithValues: allCases.map { vr in
        let u = Array(vr.rawValue.utf8)
        return (vr, (u[0], u[1]))
    })

    /// VRs indexed by (first letter − 'A') × 26 + (second letter − 'A').
    @usableFromInline static let byLetters: [VR?] = {
        var table = [VR?](repeating: nil, count: 26 * 26)
        for vr in VR.allCases {
            let u = Array(vr.rawValue.utf8)
            table[Int(u[0] - 0x41) * 26 + Int(u[1] - 0x41)] = vr
        }
        return table
    }()

    /// Explicit-VR headers of these VRs have 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1).
    public var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: return true
        default: return false
        }
    }

    /// Character-string VRs.
    public var isString: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: return true
        default: return false
        }
    }

    /// VRs whose values may use the Specific Character Set (PS3.5 §6.1.2.3); the rest are default repertoire.
    public var usesSpecificCharacterSet: Bool {
        switch self {
        case .LO, .LT, .PN, .SH, .ST, .UC, .UT: return true
        default: return false
        }
    }

    /// Single-valued text VRs: a backslash is text, not a value delimiter.
    public var isSingleValuedText: Bool { self == .LT || self == .ST || self == .UT || self == .UR }

    /// Binary VRs whose values are bulk data rather than a handful of numbers.
    public var isBulk: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN: return true
        default: return false
        }
    }

    /// Byte used to pad a value to even length (PS3.5 §6.2).
    public var paddingByte: UInt8 { self == .UI || !isString ? 0x00 : 0x20 }

    /// Size of the unit whose byte order depends on the transfer syntax (0: bytes, no swapping).
    public var byteOrderUnit: Int {
        switch self {
        case .US, .SS, .OW, .AT: return 2
        case .UL, .SL, .FL, .OF, .OL: return 4
        case .FD, .OD, .SV, .UV, .OV: return 8
        default: return 0
        }
    }

    /// Fixed size of one value of a binary numeric VR, or nil.
    public var fixedValueSize: Int? {
        switch self {
        case .US, .SS: return 2
        case .UL, .SL, .FL, .AT: return 4
        case .FD, .SV, .UV: return 8
        default: return nil
        }
    }
}
