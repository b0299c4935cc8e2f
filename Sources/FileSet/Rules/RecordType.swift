import DICOM

/// Directory Record Types of (0004,1430), PS3.3 §F.5. Retired types are read but never written.
public enum RecordType: String, Sendable, CaseIterable, Comparable {
    case patient = "PATIENT", study = "STUDY", series = "SERIES", image = "IMAGE"
    case rtDose = "RT DOSE", rtStructureSet = "RT STRUCTURE SET", rtPlan = "RT PLAN", rtTreatRecord = "RT TREAT RECORD"
    case presentation = "PRESENTATION", waveform = "WAVEFORM", srDocument = "SR DOCUMENT", keyObjectDoc = "KEY OBJECT DOC"
    case spectroscopy = "SPECTROSCOPY", rawData = "RAW DATA", registration = "REGISTRATION", fiducial = "FIDUCIAL"
    case hangingProtocol = "HANGING PROTOCOL", encapDoc = "ENCAP DOC", valueMap = "VALUE MAP", stereometric = "STEREOMETRIC"
    case palette = "PALETTE", implant = "IMPLANT", implantGroup = "IMPLANT GROUP", implantAssy = "IMPLANT ASSY"
    case measurement = "MEASUREMENT", surface = "SURFACE", surfaceScan = "SURFACE SCAN", tract = "TRACT"
    case assessment = "ASSESSMENT", radiotherapy = "RADIOTHERAPY", plan = "PLAN", inventory = "INVENTORY"
    case `private` = "PRIVATE"

    /// Records that reference an instance and sit directly under the root (Table F.4-1).
    public static let rootLevel: Set<RecordType> = Set(allCases.filter(\.isRootLevel))

    public var isLeaf: Bool { self != .patient && self != .study && self != .series }
    public var isRootLevel: Bool {
        switch self {
        case .hangingProtocol, .palette, .implant, .implantAssy, .implantGroup, .inventory: return true
        default: return false
        }
    }

    /// Which record types may be children of this one (PS3.3 Table F.4-1); nil parent = root.
    public static func allowedChildren(of parent: RecordType?) -> Set<RecordType> {
        parent.map { childrenByParent[$0] ?? [] } ?? rootChildren
    }

    private static let rootChildren = computeAllowedChildren(of: nil)
    private static let childrenByParent: [RecordType: Set<RecordType>] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0, computeAllowedChildren(of: $0)) })

    private static func computeAllowedChildren(of parent: RecordType?) -> Set<RecordType> {
        switch parent {
        case nil: return rootLevel.union([.patient, .private])
        case .patient?: return [.study, .private]
        case .study?: return [.series, .private]
        case .series?: return Set(allCases.filter { $0.isLeaf && !$0.isRootLevel })
        case .private?: return Set(allCases)
        default: return [.private]
        }
    }

    /// The leaf record for an instance of a SOP class: the table in SOPClassRecordTypes,
    /// IMAGE for every other class.
    public static func leaf(forSOPClass uid: String) -> RecordType {
        SOPClassRecordTypes.byUID[uid] ?? .image
    }

    public static func < (a: RecordType, b: RecordType) -> Bool { a.rawValue < b.rawValue }

    /// Equal by the case, not by the raw string: a raw-value enum otherwise takes
    /// RawRepresentable's defaults, a string compare per `==` and a String hash per dictionary
    /// lookup (callgrind: 1.5% of a create's instructions went to hashing record types).
    public static func == (a: RecordType, b: RecordType) -> Bool { a.caseIndex == b.caseIndex }
    /// Hashed by the case, for the reason `==` gives.
    public func hash(into hasher: inout Hasher) { hasher.combine(caseIndex) }

    /// The case's position among the cases (a no-payload enum is stored as that number).
    var caseIndex: UInt8 { withUnsafeBytes(of: self) { $0[0] } }
}
