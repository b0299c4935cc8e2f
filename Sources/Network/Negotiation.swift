import DICOM

/// What an SCP accepts at association time (PS3.8 §7.1, PS3.7 Annex D.3.3).
public struct ServerConfiguration: Sendable {
    /// Called AE titles answered (exact, after trimming spaces); empty: any.
    public var aeTitles: Set<String> = ["DICOMFS"]
    /// Calling AE titles allowed to associate; empty: any.
    public var allowedCallingAETitles: Set<String> = []
    /// Per called AE title, the calling AE titles allowed to call it (replacing
    /// `allowedCallingAETitles` for that title); a called title not listed uses the global list.
    public var allowedCallingByCalled: [String: Set<String>] = [:]
    /// Peer addresses (as printed, e.g. "127.0.0.1", "::1") allowed; empty: any.
    public var allowedAddresses: Set<String> = []
    /// Maximum Length we advertise (item 51H) and so the largest P-DATA-TF we accept.
    public var maxPDULength: UInt32 = 65_536
    /// ARTIM: how long a new connection may take to send its A-ASSOCIATE-RQ.
    public var artimSeconds: Double = 30
    /// An association silent this long (mid-PDU included) is aborted.
    public var idleSeconds: Double = 60
    /// Associations served at once; more are rejected (transient, local limit exceeded).
    public var maxAssociations = 32
    /// User Identity (type 1 or 2) required and checked when set.
    public var requiredUser: (username: String, passcode: String?)?
    /// Normalized services offered (by SOP Class UID), beside Verification and Storage.
    public var extraAbstractSyntaxes: Set<String> = []
    public var acceptsStorage = true

    public init() {}

    public static let verification = "1.2.840.10008.1.1"

    /// Every storage SOP class of the registry (PS3.4 Annex B, including Secondary Capture).
    public static let storageClasses: Set<String> = Set(UIDRegistry.all.filter { e in
        e.type == "SOP Class" && e.name.contains("Storage") && !e.name.contains("Commitment") && !e.name.contains("Media Storage")
    }.map(\.uid))

    /// Syntaxes a stored instance may arrive in: every non-retired transfer syntax of the
    /// registry but Big Endian (kept as sent, byte for byte), native ones preferred.
    static let storageSyntaxPreference: [String] = [TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]
    static let knownSyntaxes: Set<String> = Set(UIDRegistry.all.filter { $0.type == "Transfer Syntax" }.map(\.uid))
        .subtracting([TransferSyntax.explicitVRBigEndian.uid])
}

public enum Negotiation {
    /// The A-ASSOCIATE-AC for `rq`, or the A-ASSOCIATE-RJ it calls for.
    public static func answer(_ rq: Association, peer: String?, config: ServerConfiguration, busy: Bool) -> Result<Association, AssociationRejection> {
        guard rq.protocolVersion & 1 == 1 else { return .failure(.protocolVersionNotSupported) }
        guard rq.applicationContext == Association.dicomApplicationContext else { return .failure(.applicationContextNotSupported) }
        guard config.aeTitles.isEmpty || config.aeTitles.contains(rq.calledAETitle) else { return .failure(.calledAENotRecognized) }
        let callers = config.allowedCallingByCalled[rq.calledAETitle] ?? config.allowedCallingAETitles
        guard callers.isEmpty || callers.contains(rq.callingAETitle) else {
            return .failure(.callingAENotRecognized)
        }
        if !config.allowedAddresses.isEmpty, !(peer.map(config.allowedAddresses.contains) ?? false) { return .failure(.callingAENotRecognized) }
        if busy { return .failure(.localLimitExceeded) }
        if let required = config.requiredUser {
            guard let id = rq.userIdentity, id.type == 1 || id.type == 2,
                  String(decoding: id.primaryField, as: UTF8.self) == required.username,
                  required.passcode == nil || String(decoding: id.secondaryField, as: UTF8.self) == required.passcode else {
                return .failure(.noReason)
            }
        }
        var ac = Association()
        ac.protocolVersion = 1
        ac.calledAE = rq.calledAE          // echoed unchanged (PS3.8 §9.3.3)
        ac.callingAE = rq.callingAE
        ac.reserved = rq.reserved
        ac.maxLength = config.maxPDULength
        ac.implementationClassUID = Part10Writer.implementationClassUID
        ac.implementationVersionName = Part10Writer.implementationVersionName
        if rq.asyncWindow != nil { ac.asyncWindow = (1, 1) }   // one operation at a time each way
        var seen: Set<UInt8> = []
        for c in rq.proposed {
            guard seen.insert(c.id).inserted else { continue }
            let offered: [String]?
            if c.abstractSyntax == ServerConfiguration.verification {
                offered = [TransferSyntax.implicitVRLittleEndian.uid, TransferSyntax.explicitVRLittleEndian.uid]
            } else if config.acceptsStorage && ServerConfiguration.storageClasses.contains(c.abstractSyntax) {
                offered = ServerConfiguration.storageSyntaxPreference + c.transferSyntaxes.filter { ServerConfiguration.knownSyntaxes.contains($0) }
            } else if config.extraAbstractSyntaxes.contains(c.abstractSyntax) {
                offered = [TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]
            } else {
                offered = nil
            }
            guard let offered else {
                ac.accepted.append(AcceptedContext(id: c.id, result: .abstractSyntaxNotSupported, transferSyntax: TransferSyntax.implicitVRLittleEndian.uid))
                continue
            }
            if let chosen = offered.first(where: c.transferSyntaxes.contains) {
                ac.accepted.append(AcceptedContext(id: c.id, result: .acceptance, transferSyntax: chosen))
            } else {
                ac.accepted.append(AcceptedContext(id: c.id, result: .transferSyntaxesNotSupported, transferSyntax: TransferSyntax.implicitVRLittleEndian.uid))
            }
        }
        // Roles: we are the SCP of what we serve; a peer asking to be SCP (C-GET) is told no.
        ac.roles = rq.roles.map { RoleSelection(sopClassUID: $0.sopClassUID, scu: $0.scu, scp: false) }
        if let id = rq.userIdentity, id.positiveResponseRequested, id.type == 1 || id.type == 2 { ac.userIdentityResponse = [] }
        return .success(ac)
    }
}
