/// How a data set is encoded: VR form, byte order, deflation and pixel-data encapsulation.
public struct TransferSyntax: Hashable, Sendable, CustomStringConvertible {
    public let uid: String
    public let isExplicitVR: Bool
    public let isBigEndian: Bool
    /// The data set after the meta information is a raw deflate stream (PS3.5 §A.5).
    public let isDeflated: Bool
    /// Pixel Data is a sequence of fragments (PS3.5 §A.4).
    public let isEncapsulated: Bool

    public init(uid: String, explicitVR: Bool, bigEndian: Bool = false, deflated: Bool = false, encapsulated: Bool = false) {
        self.uid = uid
        isExplicitVR = explicitVR
        isBigEndian = bigEndian
        isDeflated = deflated
        isEncapsulated = encapsulated
    }

    public static let implicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2", explicitVR: false)
    public static let explicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1", explicitVR: true)
    public static let explicitVRBigEndian = TransferSyntax(uid: "1.2.840.10008.1.2.2", explicitVR: true, bigEndian: true)
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1.99", explicitVR: true, deflated: true)

    /// The encoding a UID stands for. Every syntax not listed as native is encapsulated
    /// Explicit VR Little Endian (JPEG, JPEG-LS, JPEG 2000, RLE, MPEG, HEVC, HTJ2K …, PS3.5 §10).
    public init(uid: String) {
        switch uid {
        case Self.implicitVRLittleEndian.uid: self = .implicitVRLittleEndian
        case Self.explicitVRLittleEndian.uid: self = .explicitVRLittleEndian
        case Self.explicitVRBigEndian.uid: self = .explicitVRBigEndian
        case Self.deflatedExplicitVRLittleEndian.uid: self = .deflatedExplicitVRLittleEndian
        // JPIP Referenced: pixel data is referenced, not encapsulated.
        case "1.2.840.10008.1.2.4.94": self.init(uid: uid, explicitVR: true)
        case "1.2.840.10008.1.2.4.95": self.init(uid: uid, explicitVR: true, deflated: true)
        default: self.init(uid: uid, explicitVR: true, encapsulated: true)
        }
    }

    /// Whether this UID is one the standard defines (rather than private or garbage).
    public var isKnown: Bool { Self.registered.contains(uid) }

    /// Every transfer syntax UID of the registry, looked up once per file read.
    private static let registered: Set<String> = Set(UIDRegistry.all.filter { $0.type == "Transfer Syntax" }.map(\.uid))

    public var name: String { UIDRegistry.entry(for: uid)?.name ?? "Unknown transfer syntax" }

    public var description: String { "\(uid) (\(name))" }
}
