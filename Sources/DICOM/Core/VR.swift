/// Value Representations of PS3.5 §6.2, with the encoding facts the codec needs.
public enum VR: String, Sendable, CaseIterable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW
    case PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV

    /// Decodes the two VR bytes of an explicit-VR element header: a switch on the two letters
    /// (this runs once per element of every file scanned; a lazily made table would cost a
    /// once-check and a bounds check each time). `VRTests` holds it to `letters`.
    @inlinable public init?(_ b0: UInt8, _ b1: UInt8) {
        switch UInt16(b0) << 8 | UInt16(b1) {
        case 0x4145: self = .AE
        case 0x4153: self = .AS
        case 0x4154: self = .AT
        case 0x4353: self = .CS
        case 0x4441: self = .DA
        case 0x4453: self = .DS
        case 0x4454: self = .DT
        case 0x4644: self = .FD
        case 0x464C: self = .FL
        case 0x4953: self = .IS
        case 0x4C4F: self = .LO
        case 0x4C54: self = .LT
        case 0x4F42: self = .OB
        case 0x4F44: self = .OD
        case 0x4F46: self = .OF
        case 0x4F4C: self = .OL
        case 0x4F56: self = .OV
        case 0x4F57: self = .OW
        case 0x504E: self = .PN
        case 0x5348: self = .SH
        case 0x534C: self = .SL
        case 0x5351: self = .SQ
        case 0x5353: self = .SS
        case 0x5354: self = .ST
        case 0x5356: self = .SV
        case 0x544D: self = .TM
        case 0x5543: self = .UC
        case 0x5549: self = .UI
        case 0x554C: self = .UL
        case 0x554E: self = .UN
        case 0x5552: self = .UR
        case 0x5553: self = .US
        case 0x5554: self = .UT
        case 0x5556: self = .UV
        default: return nil
        }
    }

    /// The two ASCII letters, for writers: a switch, not a hashed lookup, as this runs once
    /// per element written.
    @inlinable @inline(__always) public var letters: (UInt8, UInt8) {
        switch self {
        case .AE: return (0x41, 0x45)
        case .AS: return (0x41, 0x53)
        case .AT: return (0x41, 0x54)
        case .CS: return (0x43, 0x53)
        case .DA: return (0x44, 0x41)
        case .DS: return (0x44, 0x53)
        case .DT: return (0x44, 0x54)
        case .FD: return (0x46, 0x44)
        case .FL: return (0x46, 0x4C)
        case .IS: return (0x49, 0x53)
        case .LO: return (0x4C, 0x4F)
        case .LT: return (0x4C, 0x54)
        case .OB: return (0x4F, 0x42)
        case .OD: return (0x4F, 0x44)
        case .OF: return (0x4F, 0x46)
        case .OL: return (0x4F, 0x4C)
        case .OV: return (0x4F, 0x56)
        case .OW: return (0x4F, 0x57)
        case .PN: return (0x50, 0x4E)
        case .SH: return (0x53, 0x48)
        case .SL: return (0x53, 0x4C)
        case .SQ: return (0x53, 0x51)
        case .SS: return (0x53, 0x53)
        case .ST: return (0x53, 0x54)
        case .SV: return (0x53, 0x56)
        case .TM: return (0x54, 0x4D)
        case .UC: return (0x55, 0x43)
        case .UI: return (0x55, 0x49)
        case .UL: return (0x55, 0x4C)
        case .UN: return (0x55, 0x4E)
        case .UR: return (0x55, 0x52)
        case .US: return (0x55, 0x53)
        case .UT: return (0x55, 0x54)
        case .UV: return (0x55, 0x56)
        }
    }

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
