import DICOM
/// The protocol data units of the DICOM Upper Layer (PS3.8 §9.3), decoded from and encoded
/// to bytes with every length checked against what is there before anything is read or
/// allocated. Pure values: the channel handlers frame and route them, the fuzzer feeds them.

/// PDU types (PS3.8 Table 9-11 … 9-26).
public enum PDUType: UInt8, Sendable {
    case associateRQ = 1, associateAC = 2, associateRJ = 3, pData = 4, releaseRQ = 5, releaseRP = 6, abort = 7
}

/// A presentation context as proposed in an A-ASSOCIATE-RQ (item 20H).
public struct ProposedContext: Sendable, Equatable {
    public var id: UInt8
    public var abstractSyntax: String
    public var transferSyntaxes: [String]
    public init(id: UInt8, abstractSyntax: String, transferSyntaxes: [String]) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
    }
}

/// A presentation context as answered in an A-ASSOCIATE-AC (item 21H).
public struct AcceptedContext: Sendable, Equatable {
    /// PS3.8 Table 9-18: 0 acceptance, 1 user-rejection, 2 no-reason (provider rejection),
    /// 3 abstract-syntax-not-supported, 4 transfer-syntaxes-not-supported.
    public enum Result: UInt8, Sendable { case acceptance = 0, userRejection = 1, noReason = 2, abstractSyntaxNotSupported = 3, transferSyntaxesNotSupported = 4 }
    public var id: UInt8
    public var result: Result
    /// The chosen syntax; ignored by the receiver unless `result` is acceptance.
    public var transferSyntax: String
    public init(id: UInt8, result: Result, transferSyntax: String) {
        self.id = id
        self.result = result
        self.transferSyntax = transferSyntax
    }
}

/// SCP/SCU Role Selection (item 54H).
public struct RoleSelection: Sendable, Equatable {
    public var sopClassUID: String
    public var scu: Bool
    public var scp: Bool
}

/// User Identity Negotiation (item 58H, PS3.7 Annex D.3.3.7).
public struct UserIdentity: Sendable, Equatable {
    /// 1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT.
    public var type: UInt8
    public var positiveResponseRequested: Bool
    public var primaryField: [UInt8]
    public var secondaryField: [UInt8]
}

/// The fixed part and the items of an A-ASSOCIATE-RQ or -AC. The AC echoes the RQ's AE
/// titles and reserved bytes unchanged (PS3.8 §9.3.3).
public struct Association: Sendable, Equatable {
    public var protocolVersion: UInt16 = 1
    /// The 16 bytes as sent (space-padded ISO 646); `calledAETitle` gives the title.
    public var calledAE: [UInt8] = Array(repeating: 0x20, count: 16)
    public var callingAE: [UInt8] = Array(repeating: 0x20, count: 16)
    public var reserved: [UInt8] = Array(repeating: 0, count: 32)
    public var applicationContext = Association.dicomApplicationContext
    public var proposed: [ProposedContext] = []
    public var accepted: [AcceptedContext] = []
    /// Maximum Length (item 51H): the largest P-DATA-TF PDU the sender of this value accepts;
    /// 0 means no limit.
    public var maxLength: UInt32?
    public var implementationClassUID: String?
    public var implementationVersionName: String?
    /// Asynchronous Operations Window (item 53H): invoked, performed.
    public var asyncWindow: (invoked: UInt16, performed: UInt16)?
    public var roles: [RoleSelection] = []
    public var userIdentity: UserIdentity?
    /// User Identity server response (item 59H), in an AC.
    public var userIdentityResponse: [UInt8]?

    public static let dicomApplicationContext = "1.2.840.10008.3.1.1.1"

    public init() {}

    public var calledAETitle: String { Self.title(calledAE) }
    public var callingAETitle: String { Self.title(callingAE) }

    /// An AE title from its 16 bytes: leading and trailing spaces are not significant.
    static func title(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.filter { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: " ")
    }

    /// 16 space-padded bytes for a title of at most 16 characters.
    public static func aeField(_ title: String) -> [UInt8] {
        let b = Array(title.utf8.prefix(16))
        return b + Array(repeating: 0x20, count: 16 - b.count)
    }

    public static func == (a: Association, b: Association) -> Bool {
        a.protocolVersion == b.protocolVersion && a.calledAE == b.calledAE && a.callingAE == b.callingAE && a.reserved == b.reserved
            && a.applicationContext == b.applicationContext && a.proposed == b.proposed && a.accepted == b.accepted
            && a.maxLength == b.maxLength && a.implementationClassUID == b.implementationClassUID
            && a.implementationVersionName == b.implementationVersionName && a.asyncWindow?.invoked == b.asyncWindow?.invoked
            && a.asyncWindow?.performed == b.asyncWindow?.performed && a.roles == b.roles && a.userIdentity == b.userIdentity
            && a.userIdentityResponse == b.userIdentityResponse
    }
}

/// A-ASSOCIATE-RJ (PS3.8 Table 9-21).
public struct AssociationRejection: Error, Sendable, Equatable {
    /// 1 rejected-permanent, 2 rejected-transient.
    public var result: UInt8
    /// 1 UL service-user, 2 UL service-provider (ACSE), 3 UL service-provider (presentation).
    public var source: UInt8
    /// Source 1: 1 no-reason, 2 application-context-name-not-supported, 3 calling-AE-title-not-
    /// recognized, 7 called-AE-title-not-recognized. Source 2: 1 no-reason, 2 protocol-version-
    /// not-supported. Source 3: 1 temporary-congestion, 2 local-limit-exceeded.
    public var reason: UInt8

    public static let callingAENotRecognized = AssociationRejection(result: 1, source: 1, reason: 3)
    public static let calledAENotRecognized = AssociationRejection(result: 1, source: 1, reason: 7)
    public static let applicationContextNotSupported = AssociationRejection(result: 1, source: 1, reason: 2)
    public static let protocolVersionNotSupported = AssociationRejection(result: 1, source: 2, reason: 2)
    public static let noReason = AssociationRejection(result: 1, source: 1, reason: 1)
    public static let congestion = AssociationRejection(result: 2, source: 3, reason: 1)
    public static let localLimitExceeded = AssociationRejection(result: 2, source: 3, reason: 2)
}

/// A-ABORT (PS3.8 Table 9-26).
public struct Abort: Sendable, Equatable {
    /// 0 service-user, 2 service-provider.
    public var source: UInt8
    /// For the provider: 0 not-specified, 1 unrecognized PDU, 2 unexpected PDU, 4 unrecognized
    /// PDU parameter, 5 unexpected PDU parameter, 6 invalid PDU parameter value.
    public var reason: UInt8

    public static let user = Abort(source: 0, reason: 0)
    public static let notSpecified = Abort(source: 2, reason: 0)
    public static let unrecognizedPDU = Abort(source: 2, reason: 1)
    public static let unexpectedPDU = Abort(source: 2, reason: 2)
    public static let invalidParameter = Abort(source: 2, reason: 6)
}

/// One presentation data value item of a P-DATA-TF (PS3.8 §9.3.5.1, Annex E).
public struct PDV: Sendable, Equatable {
    public var contextID: UInt8
    public var isCommand: Bool
    public var isLast: Bool
    public var fragment: [UInt8]
    public init(contextID: UInt8, isCommand: Bool, isLast: Bool, fragment: [UInt8]) {
        self.contextID = contextID
        self.isCommand = isCommand
        self.isLast = isLast
        self.fragment = fragment
    }
}

public enum PDU: Sendable, Equatable {
    case associateRQ(Association)
    case associateAC(Association)
    case associateRJ(AssociationRejection)
    case pData([PDV])
    case releaseRQ
    case releaseRP
    case abort(Abort)
}

/// A PDU that breaks PS3.8: what was wrong, where (offset in the PDU body), and the A-ABORT
/// reason it calls for.
public struct PDUError: DescribedError, Sendable {
    public var message: String
    public var offset: Int?
    public var abort: Abort
    public init(_ message: String, offset: Int? = nil, abort: Abort = .invalidParameter) {
        self.message = message
        self.offset = offset
        self.abort = abort
    }
    public var description: String { offset.map { "at byte \($0) of the PDU: \(message)" } ?? message }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
