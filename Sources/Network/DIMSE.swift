import DICOM

/// DIMSE command sets (PS3.7 §9.3, §10.3): group 0000 elements, always encoded Implicit VR
/// Little Endian with (0000,0000) Command Group Length first, whatever the presentation
/// context's transfer syntax.
public struct Command: Sendable {
    public var dataSet: DataSet

    public init(_ dataSet: DataSet = DataSet()) { self.dataSet = dataSet }

    /// Command Field values (PS3.7 Annex E).
    public enum Field: UInt16, Sendable {
        case cStoreRQ = 0x0001, cStoreRSP = 0x8001
        case cEchoRQ = 0x0030, cEchoRSP = 0x8030
        case nGetRQ = 0x0110, nGetRSP = 0x8110
        case nActionRQ = 0x0130, nActionRSP = 0x8130
        case nCreateRQ = 0x0140, nCreateRSP = 0x8140
        case cFindRQ = 0x0020, cGetRQ = 0x0010, cMoveRQ = 0x0021
        case nSetRQ = 0x0120, nDeleteRQ = 0x0150, nEventReportRQ = 0x0100
        case cCancelRQ = 0x0FFF
    }

    public static let noDataSet: UInt16 = 0x0101

    public var field: UInt16? { dataSet.uint(.commandField).map { UInt16(truncatingIfNeeded: $0) } }
    public var messageID: UInt16? { dataSet.uint(.messageID).map { UInt16(truncatingIfNeeded: $0) } }
    public var hasDataSet: Bool { (dataSet.uint(.commandDataSetType).map { UInt16(truncatingIfNeeded: $0) } ?? Self.noDataSet) != Self.noDataSet }
    public var affectedSOPClassUID: String? { nonEmpty(dataSet.string(.affectedSOPClassUID)) }
    public var affectedSOPInstanceUID: String? { nonEmpty(dataSet.string(.affectedSOPInstanceUID)) }
    public var requestedSOPClassUID: String? { nonEmpty(dataSet.string(.requestedSOPClassUID)) }
    public var requestedSOPInstanceUID: String? { nonEmpty(dataSet.string(.requestedSOPInstanceUID)) }
    public var status: UInt16? { dataSet.uint(.status).map { UInt16(truncatingIfNeeded: $0) } }

    /// A response to `request`: Command Field, Message ID Being Responded To, Status, and no
    /// data set unless `hasDataSet`.
    public static func response(to request: Command, field: Field, status: UInt16, hasDataSet: Bool = false) -> Command {
        var ds = DataSet()
        ds.set(.commandField, .US, numbers: [Double(field.rawValue)])
        ds.set(.messageIDBeingRespondedTo, .US, numbers: [Double(request.messageID ?? 0)])
        ds.set(.commandDataSetType, .US, numbers: [Double(hasDataSet ? 0x0000 : noDataSet)])
        ds.set(.status, .US, numbers: [Double(status)])
        return Command(ds)
    }

    /// Implicit VR Little Endian, group length first.
    public func encoded() throws -> [UInt8] {
        var body = dataSet
        _ = body.remove(.commandGroupLength)
        let rest = try DataSetEncoder(explicitVR: false).encode(body)
        var w = ByteWriter(capacity: rest.count + 12)
        w.tag(.commandGroupLength)
        w.u32(4)
        w.u32(UInt32(rest.count))
        w.append(rest)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> Command {
        Command(try DataSet.decode(bytes, syntax: .implicitVRLittleEndian))
    }

    private func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
}

/// Status codes of PS3.7 Annex C and the service classes dicomfs provides.
public enum Status {
    public static let success: UInt16 = 0x0000
    /// C-STORE warning (PS3.4 B.2.3): coercion of data elements.
    public static let coercion: UInt16 = 0xB000
    public static let processingFailure: UInt16 = 0x0110
    public static let noSuchSOPInstance: UInt16 = 0x0112
    public static let invalidArgument: UInt16 = 0x0115
    public static let classInstanceConflict: UInt16 = 0x0119
    public static let missingAttribute: UInt16 = 0x0120
    public static let missingAttributeValue: UInt16 = 0x0121
    public static let invalidAttributeValue: UInt16 = 0x0106
    public static let sopClassNotSupported: UInt16 = 0x0122
    public static let noSuchAction: UInt16 = 0x0123
    public static let unrecognizedOperation: UInt16 = 0x0211
    public static let duplicateSOPInstance: UInt16 = 0x0111
    public static let resourceLimitation: UInt16 = 0x0213
    /// C-STORE failure: out of resources (A7xx).
    public static let outOfResources: UInt16 = 0xA700
    /// C-STORE failure: data set does not match SOP class (A9xx).
    public static let dataSetMismatch: UInt16 = 0xA900
    /// C-STORE failure: cannot understand (Cxxx).
    public static let cannotUnderstand: UInt16 = 0xC000
}
