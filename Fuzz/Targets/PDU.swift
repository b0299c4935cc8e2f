import DICOM
import Network

/// A byte stream as a peer would send it: PDU headers checked as the frame decoder checks
/// them, bodies decoded, command fragments reassembled and decoded as command sets, data
/// fragments decoded as Implicit VR data sets. Any input may throw; none may trap or leak.
func fuzzPDU(_ bytes: [UInt8]) {
    var at = 0
    var command: [UInt8] = []
    while bytes.count - at >= 6 {
        let type = bytes[at]
        let length = Int(bytes[at + 2]) << 24 | Int(bytes[at + 3]) << 16 | Int(bytes[at + 4]) << 8 | Int(bytes[at + 5])
        guard (try? PDUCodec.checkHeader(type: type, length: length, maxPDataBody: 65_536 + 6)) != nil else { return }
        guard bytes.count - at - 6 >= length else { return }
        let body = Array(bytes[(at + 6)..<(at + 6 + length)])
        at += 6 + length
        guard let pdu = try? PDUCodec.decode(type: type, body: body) else { continue }
        _ = PDUCodec.encode(pdu)
        if case .associateRQ(let rq) = pdu {
            _ = Negotiation.answer(rq, peer: "127.0.0.1", config: ServerConfiguration(), busy: false)
        }
        if case .pData(let pdvs) = pdu {
            for p in pdvs {
                if p.isCommand {
                    command += p.fragment
                    if p.isLast { _ = try? Command.decode(command); command = [] }
                } else if p.isLast {
                    _ = try? DataSet.decode(p.fragment, syntax: .implicitVRLittleEndian)
                }
            }
        }
    }
}
