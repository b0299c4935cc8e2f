/// Bytes ⇄ PDUs. The body is what follows the 6-byte PDU header (type, reserved, length);
/// the frame decoder has already checked its length against the configured maximum. Every
/// item length is checked against the bytes left before it is read.
public enum PDUCodec {
    /// The largest body an association PDU (RQ/AC) may have here: far beyond any real
    /// negotiation (128 contexts of 10 syntaxes are about 40 KB).
    public static let maxAssociationBody = 1 << 20

    /// The check of a PDU header made before its body is waited for: a known type, and a
    /// length within what this type may have (P-DATA-TF: the Maximum Length we advertised).
    public static func checkHeader(type: UInt8, length: Int, maxPDataBody: Int) throws {
        let limit: Int
        switch PDUType(rawValue: type) {
        case .pData: limit = maxPDataBody
        case .associateRQ, .associateAC: limit = maxAssociationBody
        case .some: limit = 4
        case .none: throw PDUError("unknown PDU type \(hex(type))", offset: 0, abort: .unrecognizedPDU)
        }
        guard length <= limit else {
            throw PDUError("PDU type \(hex(type)) announces \(length) bytes; at most \(limit) are accepted here", offset: 2)
        }
    }

    public static func decode(type: UInt8, body: [UInt8]) throws -> PDU {
        var r = BigEndianReader(body)
        guard let kind = PDUType(rawValue: type) else {
            throw PDUError("unknown PDU type \(hex(type))", abort: .unrecognizedPDU)
        }
        switch kind {
        case .associateRQ, .associateAC:
            let a = try decodeAssociation(&r, isRequest: kind == .associateRQ)
            return kind == .associateRQ ? .associateRQ(a) : .associateAC(a)
        case .associateRJ:
            try r.need(4, "A-ASSOCIATE-RJ")
            r.skip(1)
            return .associateRJ(AssociationRejection(result: r.u8(), source: r.u8(), reason: r.u8()))
        case .pData:
            var pdvs: [PDV] = []
            while r.remaining > 0 {
                let at = r.offset
                try r.need(4, "PDV item length")
                let length = Int(r.u32())
                guard length >= 2 else { throw PDUError("PDV item length \(length): at least 2 (context ID and control header)", offset: at) }
                try r.need(length, "PDV item of \(length) bytes", at: at)
                let id = r.u8(), control = r.u8()
                guard id & 1 == 1 else { throw PDUError("presentation context ID \(id) is even (PS3.8 §9.3.2.2: odd, 1–255)", offset: at + 4) }
                guard control & 0xFC == 0 else { throw PDUError("message control header \(hex(control)): bits 2–7 must be 0", offset: at + 5) }
                pdvs.append(PDV(contextID: id, isCommand: control & 1 == 1, isLast: control & 2 == 2, fragment: r.bytes(length - 2)))
            }
            guard !pdvs.isEmpty else { throw PDUError("P-DATA-TF without a PDV item") }
            return .pData(pdvs)
        case .releaseRQ, .releaseRP:
            try r.need(4, kind == .releaseRQ ? "A-RELEASE-RQ" : "A-RELEASE-RP")
            return kind == .releaseRQ ? .releaseRQ : .releaseRP
        case .abort:
            try r.need(4, "A-ABORT")
            r.skip(2)
            return .abort(Abort(source: r.u8(), reason: r.u8()))
        }
    }

    private static func decodeAssociation(_ r: inout BigEndianReader, isRequest: Bool) throws -> Association {
        var a = Association()
        try r.need(68, "the fixed part of A-ASSOCIATE")
        a.protocolVersion = r.u16()
        r.skip(2)
        a.calledAE = r.bytes(16)
        a.callingAE = r.bytes(16)
        a.reserved = r.bytes(32)
        var sawContext = false
        while r.remaining > 0 {
            let (type, body, at) = try subItem(&r, "item")
            var item = BigEndianReader(body, base: at + 4)
            let length = body.count
            switch type {
            case 0x10:
                a.applicationContext = item.string(length)
            case 0x20 where isRequest:
                a.proposed.append(try proposedContext(&item))
                sawContext = true
            case 0x21 where !isRequest:
                try item.need(4, "presentation context (AC)")
                let id = item.u8()
                item.skip(1)
                let result = item.u8()
                item.skip(1)
                var syntax = ""
                while item.remaining > 0 {
                    let (subType, sub, _) = try subItem(&item)
                    if subType == 0x40 { syntax = string(sub) }
                }
                a.accepted.append(AcceptedContext(id: id, result: AcceptedContext.Result(rawValue: result) ?? .noReason, transferSyntax: syntax))
                sawContext = true
            case 0x50:
                try userInformation(&item, into: &a)
            default:
                continue   // unknown items are skipped (PS3.8 §9.3.1)
            }
        }
        if !sawContext && isRequest { throw PDUError("A-ASSOCIATE-RQ without a presentation context item") }
        return a
    }

    private static func proposedContext(_ item: inout BigEndianReader) throws -> ProposedContext {
        let at = item.offset
        try item.need(4, "presentation context (RQ)")
        let id = item.u8()
        item.skip(3)
        guard id & 1 == 1 else { throw PDUError("presentation context ID \(id) is even (PS3.8 §9.3.2.2: odd, 1–255)", offset: at) }
        var abstract: String?
        var syntaxes: [String] = []
        while item.remaining > 0 {
            let (subType, sub, _) = try subItem(&item)
            switch subType {
            case 0x30: abstract = string(sub)
            case 0x40: syntaxes.append(string(sub))
            default: continue
            }
        }
        guard let abstract else { throw PDUError("presentation context \(id) has no abstract syntax sub-item", offset: at) }
        return ProposedContext(id: id, abstractSyntax: abstract, transferSyntaxes: syntaxes)
    }

    private static func userInformation(_ item: inout BigEndianReader, into a: inout Association) throws {
        while item.remaining > 0 {
            let (type, sub, _) = try subItem(&item)
            var s = BigEndianReader(sub)
            switch type {
            case 0x51:
                try s.need(4, "Maximum Length sub-item")
                a.maxLength = s.u32()
            case 0x52: a.implementationClassUID = string(sub)
            case 0x53:
                try s.need(4, "Asynchronous Operations Window sub-item")
                a.asyncWindow = (s.u16(), s.u16())
            case 0x54:
                try s.need(2, "Role Selection sub-item")
                let n = Int(s.u16())
                try s.need(n + 2, "Role Selection sub-item")
                let uid = s.string(n)
                a.roles.append(RoleSelection(sopClassUID: uid, scu: s.u8() == 1, scp: s.u8() == 1))
            case 0x55: a.implementationVersionName = string(sub)
            case 0x58:
                try s.need(4, "User Identity sub-item")
                let kind = s.u8(), positive = s.u8() == 1
                let n = Int(s.u16())
                try s.need(n + 2, "User Identity primary field")
                let primary = s.bytes(n)
                let m = Int(s.u16())
                try s.need(m, "User Identity secondary field")
                a.userIdentity = UserIdentity(type: kind, positiveResponseRequested: positive, primaryField: primary, secondaryField: s.bytes(m))
            case 0x59:
                try s.need(2, "User Identity response")
                let n = Int(s.u16())
                try s.need(n, "User Identity response")
                a.userIdentityResponse = s.bytes(n)
            default:
                continue
            }
        }
    }

    /// An item or sub-item (type, reserved byte, 2-byte length, value), its length checked
    /// against what is left; with its offset in the PDU.
    private static func subItem(_ r: inout BigEndianReader, _ what: String = "sub-item") throws -> (UInt8, [UInt8], Int) {
        let at = r.offset
        try r.need(4, "\(what) header")
        let type = r.u8()
        r.skip(1)
        let length = Int(r.u16())
        try r.need(length, "\(what) \(hex(type)) of \(length) bytes", at: at)
        return (type, r.bytes(length), at)
    }

    /// UIDs in items are padded with NUL by some senders; neither is part of the UID.
    private static func string(_ b: [UInt8]) -> String {
        var end = b.count
        while end > 0 && (b[end - 1] == 0 || b[end - 1] == 0x20) { end -= 1 }
        return String(decoding: b[..<end], as: UTF8.self)
    }

    static func hex(_ v: UInt8) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return (s.count == 1 ? "0" : "") + s + "H"
    }

    // MARK: Encoding

    /// The whole PDU, header included.
    public static func encode(_ pdu: PDU) -> [UInt8] {
        var w = BigEndianWriter()
        switch pdu {
        case .associateRQ(let a): encodeAssociation(a, type: 1, into: &w)
        case .associateAC(let a): encodeAssociation(a, type: 2, into: &w)
        case .associateRJ(let j): w.header(3, 4); w.u8(0); w.u8(j.result); w.u8(j.source); w.u8(j.reason)
        case .releaseRQ: w.header(5, 4); w.u32(0)
        case .releaseRP: w.header(6, 4); w.u32(0)
        case .abort(let a): w.header(7, 4); w.u16(0); w.u8(a.source); w.u8(a.reason)
        case .pData(let pdvs):
            w.header(4, UInt32(pdvs.reduce(0) { $0 + 6 + $1.fragment.count }))
            for p in pdvs {
                w.u32(UInt32(p.fragment.count + 2))
                w.u8(p.contextID)
                w.u8((p.isCommand ? 1 : 0) | (p.isLast ? 2 : 0))
                w.bytes(p.fragment)
            }
        }
        return w.bytes
    }

    private static func encodeAssociation(_ a: Association, type: UInt8, into w: inout BigEndianWriter) {
        var body = BigEndianWriter()
        body.u16(a.protocolVersion)
        body.u16(0)
        body.bytes(a.calledAE)
        body.bytes(a.callingAE)
        body.bytes(a.reserved)
        body.item(0x10, Array(a.applicationContext.utf8))
        if type == 1 {
            for c in a.proposed {
                var sub = BigEndianWriter()
                sub.u8(c.id); sub.u8(0); sub.u8(0); sub.u8(0)
                sub.item(0x30, Array(c.abstractSyntax.utf8))
                for t in c.transferSyntaxes { sub.item(0x40, Array(t.utf8)) }
                body.item(0x20, sub.bytes)
            }
        } else {
            for c in a.accepted {
                var sub = BigEndianWriter()
                sub.u8(c.id); sub.u8(0); sub.u8(c.result.rawValue); sub.u8(0)
                sub.item(0x40, Array(c.transferSyntax.utf8))
                body.item(0x21, sub.bytes)
            }
        }
        var user = BigEndianWriter()
        if let m = a.maxLength { var s = BigEndianWriter(); s.u32(m); user.item(0x51, s.bytes) }
        if let c = a.implementationClassUID { user.item(0x52, Array(c.utf8)) }
        if let w = a.asyncWindow { var s = BigEndianWriter(); s.u16(w.invoked); s.u16(w.performed); user.item(0x53, s.bytes) }
        for r in a.roles {
            var s = BigEndianWriter()
            s.u16(UInt16(r.sopClassUID.utf8.count)); s.bytes(Array(r.sopClassUID.utf8)); s.u8(r.scu ? 1 : 0); s.u8(r.scp ? 1 : 0)
            user.item(0x54, s.bytes)
        }
        if let v = a.implementationVersionName { user.item(0x55, Array(v.utf8)) }
        if let u = a.userIdentity, type == 1 {
            var s = BigEndianWriter()
            s.u8(u.type); s.u8(u.positiveResponseRequested ? 1 : 0)
            s.u16(UInt16(u.primaryField.count)); s.bytes(u.primaryField)
            s.u16(UInt16(u.secondaryField.count)); s.bytes(u.secondaryField)
            user.item(0x58, s.bytes)
        }
        if let r = a.userIdentityResponse, type == 2 {
            var s = BigEndianWriter()
            s.u16(UInt16(r.count)); s.bytes(r)
            user.item(0x59, s.bytes)
        }
        body.item(0x50, user.bytes)
        w.header(type, UInt32(body.bytes.count))
        w.bytes(body.bytes)
    }
}

/// Reads big-endian numbers from a byte array; callers check `need` first.
struct BigEndianReader {
    private let b: [UInt8]
    private(set) var position = 0
    /// Offset of this buffer within the PDU body, for error positions.
    let base: Int
    init(_ b: [UInt8], base: Int = 0) { self.b = b; self.base = base }
    var remaining: Int { b.count - position }
    var offset: Int { base + position }

    func need(_ n: Int, _ what: String, at: Int? = nil) throws {
        guard n >= 0, n <= remaining else {
            throw PDUError("\(what): \(n) bytes needed, \(remaining) left", offset: at ?? offset)
        }
    }
    mutating func skip(_ n: Int) { position += n }
    mutating func u8() -> UInt8 { defer { position += 1 }; return b[position] }
    mutating func u16() -> UInt16 { UInt16(u8()) << 8 | UInt16(u8()) }
    mutating func u32() -> UInt32 { UInt32(u16()) << 16 | UInt32(u16()) }
    mutating func bytes(_ n: Int) -> [UInt8] { defer { position += n }; return Array(b[position..<position + n]) }
    mutating func string(_ n: Int) -> String { String(decoding: bytes(n), as: UTF8.self) }
}

struct BigEndianWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xFF)) }
    mutating func u32(_ v: UInt32) { u16(UInt16(v >> 16)); u16(UInt16(v & 0xFFFF)) }
    mutating func bytes(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    mutating func header(_ type: UInt8, _ length: UInt32) { u8(type); u8(0); u32(length) }
    /// An item or sub-item: type, reserved, 2-byte length, value.
    mutating func item(_ type: UInt8, _ value: [UInt8]) { u8(type); u8(0); u16(UInt16(min(value.count, 0xFFFF))); bytes(value.prefix(0xFFFF).map { $0 }) }
}
