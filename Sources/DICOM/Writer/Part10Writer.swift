/// Writes DICOM Part 10 files (PS3.10 §7): preamble, "DICM", File Meta Information, data set.
public enum Part10Writer {
    /// dicomfs's UID root: a UUID-derived OID (PS3.5 §B.2), with arcs of our own below it.
    public static let uidRoot = "2.25.174100579610077768568485947674039138581"
    public static let implementationClassUID = uidRoot + ".0.1"
    /// (0002,0013) is SH: at most 16 characters.
    public static let implementationVersionName = "DICOMFS_0_1"

    /// Builds the meta group for an instance; group length is computed when encoding.
    public static func meta(sopClassUID: String, sopInstanceUID: String, transferSyntax: TransferSyntax) -> DataSet {
        var m = DataSet()
        m.set(DataElement(.fileMetaInformationVersion, .OB, bytes: [0x00, 0x01]))
        m.set(.mediaStorageSOPClassUID, .UI, sopClassUID)
        m.set(.mediaStorageSOPInstanceUID, .UI, sopInstanceUID)
        m.set(.transferSyntaxUID, .UI, transferSyntax.uid)
        m.set(.implementationClassUID, .UI, implementationClassUID)
        m.set(.implementationVersionName, .SH, implementationVersionName)
        return m
    }

    /// Encodes a complete file. The data set is written in `transferSyntax`, which must be
    /// Explicit or Implicit VR Little Endian, deflated, or encapsulated (its pixel data as fragments).
    public static func encode(_ dataSet: DataSet, sopClassUID: String, sopInstanceUID: String,
                              transferSyntax: TransferSyntax = .explicitVRLittleEndian,
                              encoder: DataSetEncoder = DataSetEncoder(), preamble: [UInt8]? = nil) throws -> [UInt8] {
        try encode(dataSet, meta: meta(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntax: transferSyntax),
                   transferSyntax: transferSyntax, encoder: encoder, preamble: preamble)
    }

    /// Encodes with caller-supplied meta elements; (0002,0000) is always recomputed.
    public static func encode(_ dataSet: DataSet, meta: DataSet, transferSyntax: TransferSyntax,
                              encoder: DataSetEncoder = DataSetEncoder(), preamble: [UInt8]? = nil) throws -> [UInt8] {
        guard !transferSyntax.isBigEndian else {
            throw DICOMError(.unsupported, "writing Explicit VR Big Endian (retired) is not supported")
        }
        if let p = preamble, p.count != 128 {
            throw DICOMError(.invalidLength, "preamble must be 128 bytes, not \(p.count)")
        }
        var w = ByteWriter(adopting: try header(meta: meta, preamble: preamble))
        var body = DataSet()
        for e in dataSet.elements where e.tag.group != 0x0002 { body.set(e) }
        var encoder = encoder
        encoder.explicitVR = transferSyntax.isExplicitVR
        let data = try encoder.encode(body)
        w.append(transferSyntax.isDeflated ? deflateRaw(data) : data)
        return w.bytes
    }
}

extension Part10Writer {
    /// Preamble, "DICM" and the File Meta Information (group length computed): what precedes
    /// a data set that arrives already encoded, as a C-STORE's does.
    public static func header(meta: DataSet, preamble: [UInt8]? = nil) throws -> [UInt8] {
        var metaBody = ByteWriter()
        let metaEncoder = DataSetEncoder()
        for e in meta.elements where e.tag.group == 0x0002 && e.tag != .fileMetaInformationGroupLength {
            try metaEncoder.encode(e, into: &metaBody)
        }
        var w = ByteWriter(capacity: 256 + metaBody.count)
        w.append(preamble ?? [UInt8](repeating: 0, count: 128))
        w.append(Array("DICM".utf8))
        w.tag(.fileMetaInformationGroupLength); w.append(Array("UL".utf8)); w.u16(4); w.u32(UInt32(metaBody.count))
        w.append(metaBody.bytes)
        return w.bytes
    }
}

/// Fresh UIDs in the 2.25 arc (PS3.5 §B.2): a random 128-bit UUID written in decimal.
public enum UIDGenerator {
    public static func make() -> String {
        var g = SystemRandomNumberGenerator()
        var hi = g.next() as UInt64, lo = g.next() as UInt64
        hi = (hi & ~(0xF << 12)) | (0x4 << 12)        // version 4
        lo = (lo & ~(0x3 << 62)) | (0x2 << 62)        // RFC 4122 variant
        return "2.25." + decimal(hi: hi, lo: lo)
    }

    /// A UID derived from another: the same `uid` (in the same `namespace`) always gives the
    /// same new UID, so a re-run maps an instance and everything referring to it alike.
    /// "2.25." and a 128-bit number made of two FNV-1a hashes, as version-4 UUIDs are laid out.
    public static func derived(from uid: String, namespace: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h = seed
            for b in namespace.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            h = (h ^ 0x1F) &* 0x100_0000_01B3
            for b in uid.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            return h
        }
        var hi = fnv(0xCBF2_9CE4_8422_2325), lo = fnv(0x8422_2325_CBF2_9CE4) ^ (hi >> 29)
        hi = (hi & ~(0xF << 12)) | (0x4 << 12)
        lo = (lo & ~(0x3 << 62)) | (0x2 << 62)
        return "2.25." + decimal(hi: hi, lo: lo)
    }

    /// Decimal digits of hi·2⁶⁴ + lo.
    static func decimal(hi: UInt64, lo: UInt64) -> String {
        var limbs: [UInt32] = [UInt32(hi >> 32), UInt32(hi & 0xFFFF_FFFF), UInt32(lo >> 32), UInt32(lo & 0xFFFF_FFFF)]
        var digits: [UInt8] = []
        while limbs.contains(where: { $0 != 0 }) {
            var rem: UInt64 = 0
            for i in limbs.indices {
                let cur = rem << 32 | UInt64(limbs[i])
                limbs[i] = UInt32(cur / 10)
                rem = cur % 10
            }
            digits.append(UInt8(rem) + 0x30)
        }
        return digits.isEmpty ? "0" : String(decoding: digits.reversed(), as: UTF8.self)
    }
}
