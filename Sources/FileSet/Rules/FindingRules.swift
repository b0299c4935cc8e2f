/// The identifier of a rule a finding reports, stable across releases and wording changes:
/// scripts and tests match on these, people read the message. Every rule a reader or verifier
/// can report is listed here, grouped by what it concerns.
public struct FindingRule: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }

    // The DICOMDIR file (PS3.10 §8.6, PS3.3 F.3).
    public static let dicomdirParseWarning = FindingRule("dicomdir.parse.warning")
    public static let dicomdirDamaged = FindingRule("dicomdir.damaged")
    public static let dicomdirNotPart10 = FindingRule("dicomdir.not-part10")
    public static let dicomdirTransferSyntax = FindingRule("dicomdir.transfer-syntax")
    public static let dicomdirSOPClass = FindingRule("dicomdir.sop-class")
    public static let dicomdirFileSetUID = FindingRule("dicomdir.fileset-uid")
    public static let dicomdirFileSetIDMissing = FindingRule("dicomdir.fileset-id.missing")
    public static let dicomdirFileSetIDInvalid = FindingRule("dicomdir.fileset-id.invalid")
    public static let dicomdirConsistencyFlag = FindingRule("dicomdir.consistency-flag")
    public static let dicomdirDescriptor = FindingRule("dicomdir.descriptor.invalid")
    public static let structureMissing = FindingRule("dicomdir.structure.missing")
    // The record graph (PS3.3 F.3.2.2, Table F.4-1).
    public static let offsetDangling = FindingRule("dicomdir.offset.dangling")
    public static let offsetCycle = FindingRule("dicomdir.offset.cycle")
    public static let recordDepth = FindingRule("dicomdir.record.depth")
    public static let recordPlacement = FindingRule("dicomdir.record.placement")
    public static let rootMissing = FindingRule("dicomdir.root.missing")
    public static let rootLast = FindingRule("dicomdir.root.last")
    public static let recordUnreachable = FindingRule("dicomdir.record.unreachable")
    // Records and their keys (PS3.3 F.5, the profile's keys).
    public static let recordTypeUnknown = FindingRule("record.type.unknown")
    public static let keyType1 = FindingRule("record.key.type1")
    public static let keyType2 = FindingRule("record.key.type2")
    public static let keyValue = FindingRule("record.key.value")
    public static let referenceMissing = FindingRule("record.reference.missing")
    public static let instanceNumber = FindingRule("record.instance-number")
    // Referenced File IDs and the files behind them (PS3.10 §8.2, §7.5).
    public static let fileIDInvalid = FindingRule("fileid.invalid")
    public static let fileIDOutside = FindingRule("fileid.outside")
    public static let referenceDuplicate = FindingRule("reference.duplicate")
    public static let referenceMissingFile = FindingRule("reference.missing-file")
    public static let referenceCase = FindingRule("reference.case")
    public static let referenceNotRegular = FindingRule("reference.not-regular")
    public static let referenceMismatch = FindingRule("reference.mismatch")
    public static let profileTransferSyntax = FindingRule("profile.transfer-syntax")

    // Why create, add or a request job leaves a file out (`Rejection`, the report's left-out notes).
    public static let instanceUIDInvalid = FindingRule("instance.uid.invalid")
    public static let instanceUIDMissing = FindingRule("instance.uid.missing")
    public static let instanceUIDDuplicate = FindingRule("instance.uid.duplicate")
    public static let instanceInSet = FindingRule("instance.already-in-set")
    public static let instanceHierarchy = FindingRule("instance.hierarchy.conflict")
    public static let instanceInconsistent = FindingRule("instance.inconsistent")
    public static let fileParse = FindingRule("file.parse")
    public static let fileNotPart10 = FindingRule("file.not-part10")
    public static let filePreambleExecutable = FindingRule("file.preamble.executable")
    public static let filePreambleTIFF = FindingRule("file.preamble.tiff")
    public static let filePixelLength = FindingRule("file.pixel-length")
    // Everything else in the folder or on the medium.
    public static let entryNotRegular = FindingRule("fileset.entry.not-regular")
    public static let stagingLeftover = FindingRule("fileset.staging-leftover")
    public static let journaledLeftover = FindingRule("fileset.journaled-leftover")
    public static let inactiveFile = FindingRule("fileset.inactive-file")
    public static let unreferencedDICOM = FindingRule("fileset.unreferenced-dicom")
    public static let nonDICOM = FindingRule("fileset.non-dicom")
    // Discs and images (PS3.12 Annex F/P, ISO 9660).
    public static let volumeID = FindingRule("media.volume-id")
    public static let directoryName = FindingRule("media.name.directory")
    public static let fileVersion = FindingRule("media.name.version")
    public static let fileName = FindingRule("media.name.file")
    public static let rockRidgeName = FindingRule("media.name.rock-ridge")
    public static let jolietName = FindingRule("media.name.joliet")
    public static let jolietOnly = FindingRule("media.name.joliet-only")
    public static let imageTree = FindingRule("media.tree")
    public static let sessionMD5 = FindingRule("media.md5.session")
    public static let sessionMD5Absent = FindingRule("media.md5.session-absent")
    public static let fileMD5 = FindingRule("media.md5.file")
    public static let fileMD5Absent = FindingRule("media.md5.file-absent")
}
