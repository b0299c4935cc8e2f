/// A data element tag: (group, element), ordered as DICOM orders elements in a data set.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    @inlinable public init(_ group: UInt16, _ element: UInt16) {
        rawValue = UInt32(group) << 16 | UInt32(element)
    }

    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    @inlinable public var group: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 16) }
    @inlinable public var element: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// Odd groups other than 0001, 0003, 0005, 0007 and FFFF are private (PS3.5 §7.8).
    public var isPrivate: Bool {
        group & 1 == 1 && group > 0x0007 && group != 0xFFFF
    }

    /// (gggg,0010)–(gggg,00FF) in a private group reserve blocks for a private creator.
    public var isPrivateCreator: Bool { isPrivate && (0x0010...0x00FF).contains(element) }

    public var isGroupLength: Bool { element == 0 }

    /// The delimitation tags of group FFFE, which have no VR even in explicit syntaxes.
    public var isDelimiter: Bool { group == 0xFFFE }

    @inlinable public static func < (a: Tag, b: Tag) -> Bool { a.rawValue < b.rawValue }

    public var description: String { "(\(hex4(group)),\(hex4(element)))" }

    /// The form used as a key in the DICOM JSON model: GGGGEEEE.
    public var hexString: String { hex4(group) + hex4(element) }

    public static let itemDelimitation = Tag(0xFFFE, 0xE00D)
    public static let sequenceDelimitation = Tag(0xFFFE, 0xE0DD)
}

@usableFromInline func hex4(_ v: UInt16) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    let bytes: [UInt8] = [digits[Int(v >> 12)], digits[Int(v >> 8 & 0xF)], digits[Int(v >> 4 & 0xF)], digits[Int(v & 0xF)]]
    return String(decoding: bytes, as: UTF8.self)
}

func hex2(_ v: UInt8) -> String {
    let h = String(v, radix: 16, uppercase: true)
    return h.count == 1 ? "0" + h : h
}
