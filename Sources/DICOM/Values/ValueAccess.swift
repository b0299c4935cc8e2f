/// Typed access to element values. Strings are decoded with the data set's character set.
extension DataSet {
    /// Decoded values of a string element, split at backslashes (not for LT, ST, UT, UR) and
    /// trimmed as PS3.5 §6.2 allows for the VR. Nil when absent or not a string VR.
    public func strings(_ tag: Tag) -> [String]? {
        guard let e = self[tag], let bytes = e.bytes else { return nil }
        return decodeStrings(bytes, vr: e.interpretedVR)
    }

    /// The first value of a string element (the whole value for the text VRs).
    public func string(_ tag: Tag) -> String? {
        guard let e = self[tag], let bytes = e.bytes else { return nil }
        // Only the first value is decoded: this runs per record and per file on large sets.
        return decodeStrings(bytes, vr: e.interpretedVR, firstOnly: true).first ?? ""
    }

    func decodeStrings(_ bytes: [UInt8], vr: VR, firstOnly: Bool = false) -> [String] {
        if bytes.isEmpty || !vr.isString { return [] }
        let charsetApplies = vr.usesSpecificCharacterSet
        // Split and trim on bytes unless a multi-byte set could hide 0x5C inside a character.
        guard !charsetApplies || characterSet.delimitersAreBytes else {
            let text = characterSet.decode(bytes, vr: vr)
            let values: [Substring] = vr.isSingleValuedText ? [Substring(text)] : text.split(separator: "\\", omittingEmptySubsequences: false)
            return values.map { trimValue($0, vr: vr) }
        }
        return bytes.withUnsafeBufferPointer { buf in
            var out: [String] = []
            var start = 0
            let multiValued = !vr.isSingleValuedText
            let trimLeading = multiValued && vr != .UC
            while start <= buf.count {
                var end = start
                if multiValued { while end < buf.count && buf[end] != 0x5C { end += 1 } } else { end = buf.count }
                var lo = start, hi = end
                while hi > lo && (buf[hi - 1] == 0x20 || buf[hi - 1] == 0x00) { hi -= 1 }
                if trimLeading { while lo < hi && buf[lo] == 0x20 { lo += 1 } }
                let slice = UnsafeBufferPointer(rebasing: buf[lo..<hi])
                var plain = true
                for b in slice where b >= 0x80 || b == 0x1B { plain = false; break }
                if plain {
                    out.append(String(decoding: slice, as: UTF8.self))
                } else if charsetApplies {
                    out.append(characterSet.decode(Array(slice), vr: vr))
                } else {
                    out.append(decodeLatin1(Array(slice)))
                }
                if firstOnly { break }
                start = end + 1
            }
            return out
        }
    }

    /// Numbers of a binary (US, SS, UL, SL, SV, UV) or string (IS) integer element.
    public func ints(_ tag: Tag) -> [Int]? {
        guard let e = self[tag], let b = e.bytes else { return nil }
        switch e.interpretedVR {
        case .US: return load(b, UInt16.self).map { Int($0) }
        case .SS: return load(b, Int16.self).map { Int($0) }
        case .UL: return load(b, UInt32.self).map { Int($0) }
        case .SL: return load(b, Int32.self).map { Int($0) }
        case .SV: return load(b, Int64.self).map { Int($0) }
        case .UV: return load(b, UInt64.self).map { Int(truncatingIfNeeded: $0) }
        case .IS, .DS: return strings(tag)?.compactMap { Int($0) ?? Double($0).flatMap { Int(exactly: $0) } }
        default: return nil
        }
    }

    public func int(_ tag: Tag) -> Int? {
        // The binary VRs without an intermediate array (offsets and flags of every record).
        guard let e = self[tag], let b = e.bytes else { return nil }
        func first<T: FixedWidthInteger>(_: T.Type) -> Int? {
            guard b.count >= MemoryLayout<T>.size else { return nil }
            return Int(truncatingIfNeeded: b.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) })
        }
        switch e.interpretedVR {
        case .US: return first(UInt16.self)
        case .SS: return first(Int16.self)
        case .UL: return first(UInt32.self)
        case .SL: return first(Int32.self)
        case .SV: return first(Int64.self)
        case .UV: return first(UInt64.self)
        case .IS: return firstInteger(b) ?? ints(tag)?.first
        default: return ints(tag)?.first
        }
    }

    /// The first value of an IS in its plain form ("  -12 "), read from the bytes (Instance
    /// Number of every file of a scan); nil for anything else, which `ints` then decides.
    private func firstInteger(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer { p -> Int? in
            var i = 0
            let n = p.count
            while i < n && p[i] == 0x20 { i += 1 }
            var negative = false
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { negative = p[i] == 0x2D; i += 1 }
            var value = 0, digits = 0
            while i < n && p[i] &- 0x30 < 10 && digits < 18 {
                value = value * 10 + Int(p[i] &- 0x30)
                digits += 1
                i += 1
            }
            while i < n && (p[i] == 0x20 || p[i] == 0x00) { i += 1 }
            guard digits > 0, i == n || p[i] == 0x5C else { return nil }
            return negative ? -value : value
        }
    }

    /// An unsigned value that must fit 32 bits (lengths, offsets, counts).
    public func uint(_ tag: Tag) -> UInt32? { int(tag).flatMap { UInt32(exactly: $0) } }

    /// Numbers of a floating (FL, FD, OF, OD) or decimal string (DS) element; integers too.
    public func doubles(_ tag: Tag) -> [Double]? {
        guard let e = self[tag], let b = e.bytes else { return nil }
        switch e.interpretedVR {
        case .FL, .OF: return load(b, Float.self).map { Double($0) }
        case .FD, .OD: return load(b, Double.self)
        case .DS, .IS: return strings(tag)?.compactMap { Double($0) }
        default: return ints(tag)?.map { Double($0) }
        }
    }

    public func double(_ tag: Tag) -> Double? { doubles(tag)?.first }

    /// Attribute Tag values.
    public func tags(_ tag: Tag) -> [Tag]? {
        guard let e = self[tag], e.interpretedVR == .AT, let b = e.bytes else { return nil }
        let halves = load(b, UInt16.self)
        return stride(from: 0, to: halves.count - 1, by: 2).map { Tag(halves[$0], halves[$0 + 1]) }
    }

    public func personName(_ tag: Tag) -> PersonName? { string(tag).map(PersonName.init(parsing:)) }
    public func date(_ tag: Tag) -> DICOMDate? { string(tag).flatMap(DICOMDate.init(parsing:)) }
    public func time(_ tag: Tag) -> DICOMTime? { string(tag).flatMap(DICOMTime.init(parsing:)) }
    public func dateTime(_ tag: Tag) -> DICOMDateTime? { string(tag).flatMap(DICOMDateTime.init(parsing:)) }

    public func sequence(_ tag: Tag) -> [DataSet]? { self[tag]?.items }

    // MARK: Building

    /// Sets a string element, encoded as UTF-8 for the text VRs when the set is ISO_IR 192,
    /// else as the bytes of the default repertoire (callers keep non-ASCII out of those).
    public mutating func set(_ tag: Tag, _ vr: VR, _ values: [String]) {
        var bytes = Array(values.joined(separator: "\\").utf8)
        if bytes.count & 1 == 1 { bytes.append(vr.paddingByte) }
        set(DataElement(tag, vr, bytes: bytes))
    }

    public mutating func set(_ tag: Tag, _ vr: VR, _ value: String) { set(tag, vr, [value]) }

    /// Sets a binary numeric element (US, SS, UL, SL, FL, FD …) from integers or doubles.
    public mutating func set(_ tag: Tag, _ vr: VR, numbers: [Double]) {
        var bytes: [UInt8] = []
        for n in numbers {
            switch vr {
            case .US: append(&bytes, UInt16(truncatingIfNeeded: Int(n)))
            case .SS: append(&bytes, Int16(truncatingIfNeeded: Int(n)))
            case .UL: append(&bytes, UInt32(truncatingIfNeeded: Int(n)))
            case .SL: append(&bytes, Int32(truncatingIfNeeded: Int(n)))
            case .SV: append(&bytes, Int64(n))
            case .UV: append(&bytes, UInt64(n))
            case .FL, .OF: append(&bytes, Float(n))
            case .FD, .OD: append(&bytes, n)
            default: set(tag, vr, numbers.map { formatNumber($0) }); return
            }
        }
        set(DataElement(tag, vr, bytes: bytes))
    }

    public mutating func set(_ tag: Tag, sequence items: [DataSet]) {
        set(DataElement(tag, .SQ, .sequence(items)))
    }
}

func load<T: FixedWidthInteger>(_ bytes: [UInt8], _: T.Type) -> [T] {
    let n = bytes.count / MemoryLayout<T>.size
    return bytes.withUnsafeBytes { raw in
        (0..<n).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
    }
}

func load(_ bytes: [UInt8], _: Float.Type) -> [Float] {
    load(bytes, UInt32.self).map { Float(bitPattern: $0) }
}

func load(_ bytes: [UInt8], _: Double.Type) -> [Double] {
    load(bytes, UInt64.self).map { Double(bitPattern: $0) }
}

func append<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ v: T) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
}

func append(_ bytes: inout [UInt8], _ v: Float) { append(&bytes, v.bitPattern) }
func append(_ bytes: inout [UInt8], _ v: Double) { append(&bytes, v.bitPattern) }

/// Shortest text for a number that still reads back as the same Double.
func formatNumber(_ n: Double) -> String {
    if n == n.rounded(), abs(n) < 1e15 { return String(Int(n)) }
    return "\(n)"
}

/// Leading and trailing spaces are insignificant except leading ones in LT, ST, UT and UR;
/// UI values are padded with NUL (PS3.5 §6.2).
func trimValue(_ s: Substring, vr: VR) -> String {
    var view = s.utf8[...]
    while let last = view.last, last == 0x20 || last == 0x00 { view = view.dropLast() }
    if !vr.isSingleValuedText && vr != .UC {
        while let first = view.first, first == 0x20 { view = view.dropFirst() }
    }
    return String(Substring(view))
}

/// Default-repertoire VRs are ASCII; stray high bytes are read as Latin-1 rather than lost.
func decodeDefaultRepertoire(_ bytes: [UInt8]) -> String {
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    return decodeLatin1(bytes)
}
