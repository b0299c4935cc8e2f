import DICOM
import Testing
import TestSupport
@testable import Network

/// The PDU codec and negotiation, as values: round trips, PS3.8 rules, hostile lengths.
@Suite(.tags(.unit)) struct PDUTests {
    func request(called: String = "DICOMFS", calling: String = "SCU", contexts: [ProposedContext]) -> Association {
        var a = Association()
        a.calledAE = Association.aeField(called)
        a.callingAE = Association.aeField(calling)
        a.reserved = (0..<32).map { UInt8($0) }   // not zero: must come back unchanged
        a.proposed = contexts
        a.maxLength = 16_384
        a.implementationClassUID = "1.2.3.4"
        a.implementationVersionName = "TEST"
        a.asyncWindow = (3, 3)
        a.roles = [RoleSelection(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", scu: true, scp: true)]
        a.userIdentity = UserIdentity(type: 2, positiveResponseRequested: true, primaryField: Array("me".utf8), secondaryField: Array("pw".utf8))
        return a
    }

    static let ct = "1.2.840.10008.5.1.4.1.1.2"
    static let jpegBaseline = "1.2.840.10008.1.2.4.50"

    @Test func associationRoundTrips() throws {
        let rq = request(contexts: [ProposedContext(id: 1, abstractSyntax: Self.ct, transferSyntaxes: ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"])])
        let bytes = PDUCodec.encode(.associateRQ(rq))
        #expect(bytes[0] == 1 && Int(bytes[2]) << 24 | Int(bytes[3]) << 16 | Int(bytes[4]) << 8 | Int(bytes[5]) == bytes.count - 6)
        let back = try PDUCodec.decode(type: bytes[0], body: Array(bytes[6...]))
        #expect(back == .associateRQ(rq))
    }

    @Test func acceptEchoesTheFixedFieldsAndChoosesSyntaxes() throws {
        let rq = request(called: "  DICOMFS ", contexts: [
            ProposedContext(id: 1, abstractSyntax: Self.ct, transferSyntaxes: ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"]),
            ProposedContext(id: 3, abstractSyntax: Self.ct, transferSyntaxes: [Self.jpegBaseline]),
            ProposedContext(id: 5, abstractSyntax: "1.2.3.999", transferSyntaxes: ["1.2.840.10008.1.2"]),
            ProposedContext(id: 7, abstractSyntax: Self.ct, transferSyntaxes: ["1.2.3.4.5.6"]),
            ProposedContext(id: 9, abstractSyntax: ServerConfiguration.verification, transferSyntaxes: ["1.2.840.10008.1.2"]),
        ])
        guard case .success(let ac) = Negotiation.answer(rq, peer: "127.0.0.1", config: ServerConfiguration(), busy: false) else {
            Issue.record("rejected"); return
        }
        #expect(ac.calledAE == rq.calledAE && ac.callingAE == rq.callingAE && ac.reserved == rq.reserved)
        #expect(ac.accepted.map(\.id) == [1, 3, 5, 7, 9])
        #expect(ac.accepted.map(\.result) == [.acceptance, .acceptance, .abstractSyntaxNotSupported, .transferSyntaxesNotSupported, .acceptance])
        #expect(ac.accepted[0].transferSyntax == "1.2.840.10008.1.2.1" && ac.accepted[1].transferSyntax == Self.jpegBaseline)
        #expect(ac.maxLength == 65_536 && ac.asyncWindow?.invoked == 1 && ac.roles.first?.scp == false)
        #expect(ac.userIdentityResponse == [])
        // And it round-trips as an AC.
        let bytes = PDUCodec.encode(.associateAC(ac))
        #expect(try PDUCodec.decode(type: 2, body: Array(bytes[6...])) == .associateAC(ac))
    }

    @Test func rejectionsNameTheRightReason() {
        let contexts = [ProposedContext(id: 1, abstractSyntax: ServerConfiguration.verification, transferSyntaxes: ["1.2.840.10008.1.2"])]
        var config = ServerConfiguration()
        config.allowedCallingAETitles = ["PACS"]
        func answer(_ rq: Association, busy: Bool = false) -> AssociationRejection? {
            if case .failure(let rj) = Negotiation.answer(rq, peer: "127.0.0.1", config: config, busy: busy) { return rj }
            return nil
        }
        #expect(answer(request(called: "OTHER", calling: "PACS", contexts: contexts)) == .calledAENotRecognized)
        #expect(answer(request(calling: "STRANGER", contexts: contexts)) == .callingAENotRecognized)
        #expect(answer(request(calling: "PACS", contexts: contexts), busy: true) == .localLimitExceeded)
        var v2 = request(calling: "PACS", contexts: contexts)
        v2.protocolVersion = 2
        #expect(answer(v2) == .protocolVersionNotSupported)
        var ctx = request(calling: "PACS", contexts: contexts)
        ctx.applicationContext = "1.2.3"
        #expect(answer(ctx) == .applicationContextNotSupported)
        #expect(answer(request(calling: "PACS", contexts: contexts)) == nil)
        // RJ bytes as PS3.8 Table 9-21 lays them out.
        #expect(PDUCodec.encode(.associateRJ(.calledAENotRecognized)) == [3, 0, 0, 0, 0, 4, 0, 1, 1, 7])
        #expect(PDUCodec.encode(.abort(.unrecognizedPDU)) == [7, 0, 0, 0, 0, 4, 0, 0, 2, 1])
    }

    @Test func pDataFragmentsRoundTripAndBadOnesAreRefused() throws {
        let pdvs = [PDV(contextID: 1, isCommand: true, isLast: false, fragment: [1, 2]), PDV(contextID: 1, isCommand: true, isLast: true, fragment: [])]
        let bytes = PDUCodec.encode(.pData(pdvs))
        #expect(try PDUCodec.decode(type: 4, body: Array(bytes[6...])) == .pData(pdvs))
        // An item length past the end, an even context ID, reserved control bits, no item.
        for body: [UInt8] in [[0, 0, 0, 9, 1, 3, 0], [0, 0, 0, 2, 2, 3], [0, 0, 0, 2, 1, 0xFF], [], [0xFF, 0xFF, 0xFF, 0xFF, 1, 3]] {
            #expect(throws: PDUError.self) { try PDUCodec.decode(type: 4, body: body) }
        }
    }

    /// Every prefix of a valid A-ASSOCIATE-RQ, and every single-byte change of it, decodes or
    /// throws a PDUError; nothing traps.
    @Test func truncatedAndMutatedRequestsNeverTrap() throws {
        let rq = request(contexts: [ProposedContext(id: 1, abstractSyntax: Self.ct, transferSyntaxes: ["1.2.840.10008.1.2"])])
        let body = Array(PDUCodec.encode(.associateRQ(rq))[6...])
        for n in 0..<body.count {
            _ = try? PDUCodec.decode(type: 1, body: Array(body[..<n]))
        }
        for i in body.indices {
            for v: UInt8 in [0x00, 0x7F, 0xFF] {
                var m = body
                m[i] = v
                _ = try? PDUCodec.decode(type: 1, body: m)
            }
        }
        #expect(throws: PDUError.self) { try PDUCodec.decode(type: 1, body: Array(body[..<67])) }
    }

    @Test func commandSetsAreImplicitLittleEndianWithGroupLengthFirst() throws {
        var rq = Command()
        rq.dataSet.set(.affectedSOPClassUID, .UI, ServerConfiguration.verification)
        rq.dataSet.set(.commandField, .US, numbers: [0x30])
        rq.dataSet.set(.messageID, .US, numbers: [7])
        rq.dataSet.set(.commandDataSetType, .US, numbers: [0x0101])
        let rsp = Command.response(to: rq, field: .cEchoRSP, status: 0)
        let bytes = try rsp.encoded()
        #expect(Array(bytes[0..<8]) == [0, 0, 0, 0, 4, 0, 0, 0])
        #expect(Int(bytes[8]) | Int(bytes[9]) << 8 == bytes.count - 12)
        let back = try Command.decode(bytes)
        #expect(back.field == 0x8030 && back.status == 0 && !back.hasDataSet)
        #expect(back.dataSet.uint(.messageIDBeingRespondedTo) == 7)
    }
}
