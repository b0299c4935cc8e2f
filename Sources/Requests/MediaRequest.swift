import DICOM
import FileSet
import Foundation

/// A Media Creation Management request (PS3.4 Annex S, the N-CREATE attributes of Table
/// S.3.2.1.1-1 and the N-ACTION Initiate attributes), as dicomfs honours it offline. Read
/// from a Part 10 dataset (SOP Class 1.2.840.10008.5.1.1.33) or the same attributes in the
/// PS3.18 DICOM JSON model; only its syntax is checked here, as Annex S recommends.
///
/// One attribute is checked but needs no field: Preserve Composite Instances After Media
/// Creation (the store is never changed, so YES and NO both hold). Label Style Selection:
/// FULL or COMPACT (`LabelStyle`). Allow Lossy Compression YES
/// lets a job that transcodes compress lossily (`Job.RunOptions.lossyQuality`); NO, or
/// nothing, never does.
public struct MediaRequest: Codable, Sendable, Equatable {
    public struct Reference: Codable, Sendable, Equatable {
        public var sopClassUID: String
        public var sopInstanceUID: String
        public var profile: String?
        /// An Icon Image Sequence item supplied for this instance, as DICOM JSON.
        public var iconJSON: String?

        public init(sopClassUID: String = "", sopInstanceUID: String, profile: String? = nil, iconJSON: String? = nil) {
            self.sopClassUID = sopClassUID
            self.sopInstanceUID = sopInstanceUID
            self.profile = profile
            self.iconJSON = iconJSON
        }
    }

    public var specificCharacterSet: String?
    public var fileSetID: String?
    public var fileSetUID: String?
    public var labelFromInstances = false
    public var labelText: String?
    public var barcodeValue: String?
    public var barcodeSymbology: String?
    public var mediaDisposition: String?
    public var allowSplitting = true
    /// Label Style Selection (2200,0003): FULL or COMPACT (`LabelStyle`; other terms are
    /// another device's and give the default).
    public var labelStyle: String?
    /// Allow Lossy Compression (2200,000F) YES (nil, as in jobs written before it was kept: NO).
    public var allowLossy: Bool?
    /// NO, or FOR_PHYSICIAN, FOR_PATIENT, FOR_TEACHING, FOR_RESEARCH: web content is added.
    public var includeNonDICOM = "NO"
    public var includeDisplayApplication = false
    public var references: [Reference] = []
    public var copies = 1
    public var priority: Priority = .MED
    /// Values read from the request that break their attribute's enumerated values.
    public var invalidValues: [String] = []

    /// Request Priority (2200,0020).
    public enum Priority: String, Codable, Sendable, CaseIterable {
        case HIGH, MED, LOW
        /// Queue order: HIGH first.
        public var rank: Int { self == .HIGH ? 0 : self == .MED ? 1 : 2 }
    }

    public static let sopClassUID = "1.2.840.10008.5.1.1.33"
    public init() {}

    static let nonDICOMTerms: Set<String> = ["NO", "FOR_PHYSICIAN", "FOR_PATIENT", "FOR_TEACHING", "FOR_RESEARCH"]

    /// Every syntax problem of the request, or none.
    public func problems() -> [String] {
        var p: [String] = []
        if references.isEmpty { p.append("Referenced SOP Sequence (0008,1199) is empty: nothing to put on media") }
        for (i, r) in references.enumerated() {
            // The class may be left out on the command line; the store's file then says it.
            if !r.sopClassUID.isEmpty && !UIDRegistry.isValid(r.sopClassUID) { p.append("Referenced SOP Sequence item \(i + 1): Referenced SOP Class UID \"\(r.sopClassUID)\" is not a valid UID") }
            if !UIDRegistry.isValid(r.sopInstanceUID) { p.append("Referenced SOP Sequence item \(i + 1): Referenced SOP Instance UID \"\(r.sopInstanceUID)\" is not a valid UID") }
            if let profile = r.profile, ApplicationProfile.named(profile) == nil {
                p.append("Referenced SOP Sequence item \(i + 1): Requested Media Application Profile \(profile) is not one dicomfs writes (\(ApplicationProfile.all.map(\.name).joined(separator: ", ")))")
            }
        }
        let uids = references.map(\.sopInstanceUID)
        if Set(uids).count != uids.count { p.append("Referenced SOP Sequence names an instance twice (DUPL_REF_INST)") }
        if let id = fileSetID, !FileID.isValidFileSetID(id) { p.append("Storage Media File-Set ID \"\(id)\": 0–16 characters of A–Z, 0–9 and _") }
        if let uid = fileSetUID, !UIDRegistry.isValid(uid) { p.append("Storage Media File-Set UID \"\(uid)\" is not a valid UID") }
        if !Self.nonDICOMTerms.contains(includeNonDICOM) { p.append("Include Non-DICOM Objects \"\(includeNonDICOM)\": one of \(Self.nonDICOMTerms.sorted().joined(separator: ", "))") }
        p += invalidValues
        if copies < 1 || copies > 99 { p.append("Number of Copies \(copies): 1–99") }
        if let s = barcodeSymbology, !["CODE128", "QR", "CODE39", "EAN13", "DATAMATRIX", "PDF417"].contains(s.uppercased()) {
            p.append("Barcode Symbology \"\(s)\" is not one dicomfs knows")
        }
        return p
    }

    // MARK: Reading

    /// Reads a request file: Part 10 (preamble and DICM) or DICOM JSON.
    public static func read(path: String) throws -> MediaRequest {
        guard let data = FileManager.default.contents(atPath: path) else { throw RequestError("\(path): cannot read") }
        let trimmed = data.prefix(64).drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.first == UInt8(ascii: "{") || trimmed.first == UInt8(ascii: "[") {
            return try fromJSON(data, path: path)
        }
        let file: DICOMFile
        do { file = try DICOMFile.read(path: path) } catch { throw RequestError("\(path): neither DICOM JSON nor a readable DICOM file (\(userText(error)))") }
        if let cls = file.meta.string(.mediaStorageSOPClassUID) ?? file.dataSet.string(.sopClassUID), cls != sopClassUID {
            throw RequestError("\(path): SOP Class \(cls), not Media Creation Management (\(sopClassUID))")
        }
        return try from(file.dataSet)
    }

    /// A request from the attributes of an N-CREATE (or a stored request's data set).
    public static func from(dataSet: DataSet) throws -> MediaRequest { try from(dataSet) }

    static func from(_ ds: DataSet) throws -> MediaRequest {
        var r = MediaRequest()
        func yes(_ tag: Tag) -> Bool? { ds.string(tag).map { $0.uppercased() == "YES" } }
        r.specificCharacterSet = ds.string(.specificCharacterSet)
        r.fileSetID = ds.string(.storageMediaFileSetID)
        r.fileSetUID = ds.string(.storageMediaFileSetUID)
        r.labelFromInstances = yes(.labelUsingInformationExtractedFromInstances) ?? false
        r.labelText = ds.string(.labelText)
        r.barcodeValue = ds.string(.barcodeValue)
        r.barcodeSymbology = ds.string(.barcodeSymbology)
        r.mediaDisposition = ds.string(.mediaDisposition)
        r.allowSplitting = yes(.allowMediaSplitting) ?? true
        r.allowLossy = yes(.allowLossyCompression)
        r.labelStyle = ds.string(.labelStyleSelection)
        r.includeNonDICOM = ds.string(.includeNonDICOMObjects)?.uppercased() ?? "NO"
        r.includeDisplayApplication = yes(.includeDisplayApplication) ?? false
        r.copies = ds.int(.numberOfCopies) ?? 1
        if let raw = ds.string(.requestPriority) {
            if let p = Priority(rawValue: raw.uppercased()) { r.priority = p } else { r.invalidValues.append("Request Priority \"\(raw)\": HIGH, MED or LOW") }
        }
        for (tag, name) in [(Tag.allowLossyCompression, "Allow Lossy Compression"), (.preserveCompositeInstancesAfterMediaCreation, "Preserve Composite Instances After Media Creation"),
                            (.allowMediaSplitting, "Allow Media Splitting"), (.labelUsingInformationExtractedFromInstances, "Label Using Information Extracted From Instances"),
                            (.includeDisplayApplication, "Include Display Application")] {
            if let v = ds.string(tag), !["YES", "NO"].contains(v.uppercased()) { r.invalidValues.append("\(name) \"\(v)\": YES or NO") }
        }
        for item in ds.sequence(.referencedSOPSequence) ?? [] {
            var icon: String?
            if let iconItem = item.sequence(.iconImageSequence)?.first {
                icon = DICOMJSON(inlineBinary: true).encode(iconItem, pretty: false)
            }
            r.references.append(Reference(sopClassUID: item.string(.referencedSOPClassUID) ?? "", sopInstanceUID: item.string(.referencedSOPInstanceUID) ?? "",
                                          profile: item.string(.requestedMediaApplicationProfile), iconJSON: icon))
        }
        return r
    }

    static func fromJSON(_ data: Data, path: String) throws -> MediaRequest {
        // A job's own REQUEST.json ({"store": …, "request": {…}}), dropped in a hot folder.
        if let stored = try? JSONDecoder().decode(Job.Stored.self, from: data) { return stored.request }
        let ds: DataSet
        do { ds = try JSONDataSet.decode(data) } catch { throw RequestError("\(path): not DICOM JSON (\(userText(error, otherwise: "it does not parse as JSON")))") }
        return try from(ds)
    }
}

public struct RequestError: DescribedError, Sendable {
    public var description: String
    /// The Annex S status code of a refused action (A510, C201, C202); nil for bad input.
    public var code: String?
    public init(_ d: String, code: String? = nil) {
        description = (code.map { $0 + ": " } ?? "") + d
        self.code = code
    }
}
