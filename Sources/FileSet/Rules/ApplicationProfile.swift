import DICOM

/// PS3.11 General Purpose application profiles dicomfs writes, as data: which transfer
/// syntaxes a file may use and which extra DICOMDIR keys the profile adds.
public struct ApplicationProfile: Sendable, Hashable, CustomStringConvertible {
    public enum Medium: String, Sendable { case cd, dvd, bd, usb, mime }
    public enum ExtraKeys: Sendable { case none, tableD32, tableH32 }

    public let name: String
    /// Allowed transfer syntaxes; nil means any (STD-GEN-MIME).
    public let transferSyntaxes: Set<String>?
    public let extraKeys: ExtraKeys
    public let medium: Medium
    public let annex: String

    public var description: String { name }

    static let evle = TransferSyntax.explicitVRLittleEndian.uid
    /// JPEG Lossless SV1, Baseline, Extended (PS3.11 H.3.1).
    static let jpeg: Set<String> = [evle, "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"]
    /// JPEG 2000 Lossless and lossy (PS3.11 H.3.1).
    static let j2k: Set<String> = [evle, "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"]

    public static let all: [ApplicationProfile] = [
        ApplicationProfile(name: "STD-GEN-CD", transferSyntaxes: [evle], extraKeys: .tableD32, medium: .cd, annex: "D"),
        ApplicationProfile(name: "STD-GEN-DVD-JPEG", transferSyntaxes: jpeg, extraKeys: .tableH32, medium: .dvd, annex: "H"),
        ApplicationProfile(name: "STD-GEN-DVD-J2K", transferSyntaxes: j2k, extraKeys: .tableH32, medium: .dvd, annex: "H"),
        ApplicationProfile(name: "STD-GEN-USB-JPEG", transferSyntaxes: jpeg, extraKeys: .tableH32, medium: .usb, annex: "J"),
        ApplicationProfile(name: "STD-GEN-USB-J2K", transferSyntaxes: j2k, extraKeys: .tableH32, medium: .usb, annex: "J"),
        ApplicationProfile(name: "STD-GEN-BD-JPEG", transferSyntaxes: jpeg, extraKeys: .tableH32, medium: .bd, annex: "M"),
        ApplicationProfile(name: "STD-GEN-BD-J2K", transferSyntaxes: j2k, extraKeys: .tableH32, medium: .bd, annex: "M"),
        ApplicationProfile(name: "STD-GEN-MIME", transferSyntaxes: nil, extraKeys: .none, medium: .mime, annex: "G"),
    ]

    public static let stdGenCD = all[0]

    public static func named(_ name: String) -> ApplicationProfile? { all.first { $0.name == name.uppercased() } }

    public func allows(transferSyntax uid: String) -> Bool { transferSyntaxes?.contains(uid) ?? true }

    /// Extra keys by record level (PS3.11 Tables D.3-2 and H.3-2), copied when the instance
    /// has them with a value.
    public func extraKeys(for type: RecordType) -> [Tag] {
        switch (extraKeys, type) {
        case (.tableD32, .image): return Self.tableD32Image
        case (.tableH32, .patient): return Self.tableH32Patient
        case (.tableH32, .series): return Self.tableH32Series
        case (.tableH32, .image), (.tableH32, .spectroscopy): return Self.tableH32Image
        default: return []
        }
    }

    // Stored once: asked for every instance of a scan.
    private static let tableD32Image: [Tag] = [.imageType, .referencedImageSequence]
    private static let tableH32Patient: [Tag] = [.patientBirthDate, .patientSex]
    private static let tableH32Series: [Tag] = [.institutionName, .institutionAddress, .performingPhysicianName]
    private static let tableH32Image: [Tag] = [
        .imageType, .calibrationImage, .lossyImageCompressionRatio, .rows, .columns, .frameOfReferenceUID,
        .synchronizationFrameOfReferenceUID, .numberOfFrames, .acquisitionTimeSynchronized,
        .acquisitionDateTime, .referencedImageSequence, .imagePositionPatient,
        .imageOrientationPatient, .pixelSpacing,
    ]

    /// Tags H.3-2 allows to come from the Shared Functional Groups Sequence of enhanced images.
    static let sharedFunctionalGroupKeys: [(Tag, macro: Tag)] = [
        (.imagePositionPatient, .planePositionSequence), (.imageOrientationPatient, .planeOrientationSequence),
        (.pixelSpacing, .pixelMeasuresSequence),
    ]
}
