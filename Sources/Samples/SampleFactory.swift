import DICOM

/// Small, deterministic DICOM instances made by dicomfs's own writer: the bundled samples
/// under `samples/` and fixtures for tests. Same code, same bytes, every time.
public enum SampleFactory {
    /// UIDs below dicomfs's root, arc 1 for samples: fixed so the files never change.
    public static func uid(_ parts: Int...) -> String { Part10Writer.uidRoot + ".1." + parts.map(String.init).joined(separator: ".") }

    public struct Sample: Sendable {
        public let fileName: String
        public let bytes: [UInt8]
    }

    /// The bundled samples: two patients, three studies, CT, MR, US multi-frame, SR, and
    /// names in Latin-1 and Japanese (ISO 2022 IR 87).
    public static func all() throws -> [Sample] {
        [
            Sample(fileName: "ct-head-1.dcm", bytes: try ct(instance: 1)),
            Sample(fileName: "ct-head-2.dcm", bytes: try ct(instance: 2)),
            Sample(fileName: "mr-knee.dcm", bytes: try mr()),
            Sample(fileName: "us-cine.dcm", bytes: try usMultiFrame()),
            Sample(fileName: "sr-report.dcm", bytes: try sr()),
            Sample(fileName: "ct-japanese.dcm", bytes: try japanese()),
        ]
    }

    // MARK: Instances

    public static func ct(instance: Int) throws -> [UInt8] {
        var ds = patient(name: "Doe^Jane", id: "DCMFS001", birth: "19700101", sex: "F")
        study(&ds, uid: uid(1, 1), date: "20240301", time: "101500", id: "CT1", description: "CT HEAD W/O CONTRAST", accession: "A0001")
        series(&ds, uid: uid(1, 1, 1), modality: "CT", number: 1, description: "AXIAL 5MM")
        ctSlice(&ds, instance: instance, z: 5 * instance, spacing: "3.75", size: 64, slice: instance)
        ds.set(.windowCenter, .DS, "40")
        ds.set(.windowWidth, .DS, "400")
        return try instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.2", sopInstance: uid(1, 1, 1, instance))
    }

    public static func mr() throws -> [UInt8] {
        var ds = patient(name: "Müller^Jürgen", id: "DCMFS002", birth: "19651224", sex: "M", charset: "ISO_IR 100")
        study(&ds, uid: uid(2, 1), date: "20240415", time: "083000", id: "MR1", description: "MR KNIE LINKS", accession: "A0002")
        series(&ds, uid: uid(2, 1, 1), modality: "MR", number: 3, description: "T1 SAG")
        ds.set(.imageType, .CS, ["ORIGINAL", "PRIMARY", "M"])
        ds.set(.instanceNumber, .IS, "1")
        plane(&ds, z: 0, spacing: "5")
        ds.set(.scanningSequence, .CS, "SE")
        ds.set(.sequenceVariant, .CS, "NONE")
        ds.set(.scanOptions, .CS, [String]())
        ds.set(.mrAcquisitionType, .CS, "2D")
        ds.set(.repetitionTime, .DS, "500")
        ds.set(.echoTime, .DS, "15")
        ds.set(.echoTrainLength, .IS, "1")
        image(&ds, rows: 32, columns: 32, bits: 16, signed: false, photometric: "MONOCHROME2",
              pixels: (0..<(32 * 32)).map { (i: Int) -> UInt16 in
                  let x = i % 32, y = i / 32
                  return UInt16(x * 40 + y * 20)
              })
        return try instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.4", sopInstance: uid(2, 1, 1, 1))
    }

    public static func usMultiFrame() throws -> [UInt8] {
        var ds = patient(name: "Müller^Jürgen", id: "DCMFS002", birth: "19651224", sex: "M", charset: "ISO_IR 100")
        study(&ds, uid: uid(2, 2), date: "20240416", time: "140000", id: "US1", description: "US ABDOMEN", accession: "A0003")
        series(&ds, uid: uid(2, 2, 1), modality: "US", number: 1, description: "CINE")
        ds.set(.instanceNumber, .IS, "1")
        ds.set(.numberOfFrames, .IS, "3")
        ds.set(.imageType, .CS, ["ORIGINAL", "PRIMARY", "ABDOMINAL"])
        ds.set(.frameTime, .DS, "40")
        ds.set(DataElement(.frameIncrementPointer, .AT, bytes: [0x18, 0x00, 0x63, 0x10]))
        var rgb: [UInt8] = []
        for frame in 0..<3 {
            for y in 0..<24 {
                for x in 0..<24 {
                    rgb.append(UInt8(x * 10))
                    rgb.append(UInt8(y * 10))
                    rgb.append(UInt8(frame * 80))
                }
            }
        }
        ds.set(.samplesPerPixel, .US, numbers: [3])
        ds.set(.photometricInterpretation, .CS, "RGB")
        ds.set(.planarConfiguration, .US, numbers: [0])
        ds.set(.rows, .US, numbers: [24])
        ds.set(.columns, .US, numbers: [24])
        ds.set(.bitsAllocated, .US, numbers: [8])
        ds.set(.bitsStored, .US, numbers: [8])
        ds.set(.highBit, .US, numbers: [7])
        ds.set(.pixelRepresentation, .US, numbers: [0])
        ds.set(DataElement(.pixelData, .OB, bytes: rgb))
        return try instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.3.1", sopInstance: uid(2, 2, 1, 1))
    }

    public static func sr() throws -> [UInt8] {
        var ds = patient(name: "Doe^Jane", id: "DCMFS001", birth: "19700101", sex: "F")
        study(&ds, uid: uid(1, 1), date: "20240301", time: "101500", id: "CT1", description: "CT HEAD W/O CONTRAST", accession: "A0001")
        series(&ds, uid: uid(1, 1, 2), modality: "SR", number: 99, description: "REPORT")
        ds.set(.instanceNumber, .IS, "1")
        ds.set(.contentDate, .DA, "20240301")
        ds.set(.contentTime, .TM, "120000")
        ds.set(.valueType, .CS, "CONTAINER")
        ds.set(.continuityOfContent, .CS, "SEPARATE")
        ds.set(.completionFlag, .CS, "COMPLETE")
        ds.set(.verificationFlag, .CS, "UNVERIFIED")
        ds.set(.conceptNameCodeSequence, sequence: [code("18748-4", "LN", "Diagnostic Imaging Report")])
        var finding = DataSet()
        finding.set(.relationshipType, .CS, "CONTAINS")
        finding.set(.valueType, .CS, "TEXT")
        finding.set(.conceptNameCodeSequence, sequence: [code("121071", "DCM", "Finding")])
        finding.set(.textValue, .UT, "No acute intracranial abnormality.")
        ds.set(.contentSequence, sequence: [finding])
        return try instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.88.11", sopInstance: uid(1, 1, 2, 1))
    }

    /// PS3.5 Annex H's example: "Yamada^Tarou=山田^太郎=やまだ^たろう" in ISO 2022 IR 87.
    public static func japanese() throws -> [UInt8] {
        var ds = patient(name: "", id: "DCMFS003", birth: "19800505", sex: "M", charset: "\\ISO 2022 IR 87")
        let esc: UInt8 = 0x1B
        let toJIS: [UInt8] = [esc, 0x24, 0x42], toASCII: [UInt8] = [esc, 0x28, 0x42]
        var name = Array("Yamada^Tarou=".utf8)
        name += toJIS + Array(";3ED".utf8) + toASCII + Array("^".utf8) + toJIS + Array("B@O:".utf8) + toASCII + Array("=".utf8)
        name += toJIS + Array("$d$^$@".utf8) + toASCII + Array("^".utf8) + toJIS + Array("$?$m$&".utf8) + toASCII
        if name.count & 1 == 1 { name.append(0x20) }
        ds.set(DataElement(.patientName, .PN, bytes: name))
        study(&ds, uid: uid(3, 1), date: "20240510", time: "090000", id: "CT2", description: "CT CHEST", accession: "A0004")
        series(&ds, uid: uid(3, 1, 1), modality: "CT", number: 1, description: "LUNG")
        ctSlice(&ds, instance: 1, z: 0, spacing: "7.5", size: 32, slice: 3)
        return try instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.2", sopInstance: uid(3, 1, 1, 1))
    }

    // MARK: Building blocks

    public static func patient(name: String, id: String, birth: String, sex: String, charset: String? = nil) -> DataSet {
        var ds = DataSet()
        if let charset {
            ds.set(.specificCharacterSet, .CS, charset.split(separator: "\\", omittingEmptySubsequences: false).map(String.init))
        }
        if !name.isEmpty {
            let bytes = ds.characterSet.encode(name) ?? Array(name.utf8)
            ds.set(DataElement(.patientName, .PN, bytes: bytes.count & 1 == 1 ? bytes + [0x20] : bytes))
        }
        ds.set(.patientID, .LO, id)
        ds.set(.patientBirthDate, .DA, birth)
        ds.set(.patientSex, .CS, sex)
        ds.set(.instanceCreationDate, .DA, "20240601")
        ds.set(.instanceCreationTime, .TM, "120000")
        ds.set(.manufacturer, .LO, "dicomfs samples")
        ds.set(.institutionName, .LO, "dicomfs General Hospital")
        ds.set(.referringPhysicianName, .PN, "")
        return ds
    }

    public static func study(_ ds: inout DataSet, uid: String, date: String, time: String, id: String, description: String, accession: String) {
        ds.set(.studyInstanceUID, .UI, uid)
        ds.set(.studyDate, .DA, date)
        ds.set(.studyTime, .TM, time)
        ds.set(.studyID, .SH, id)
        ds.set(.studyDescription, .LO, description)
        ds.set(.accessionNumber, .SH, accession)
    }

    public static func series(_ ds: inout DataSet, uid: String, modality: String, number: Int, description: String) {
        ds.set(.seriesInstanceUID, .UI, uid)
        ds.set(.modality, .CS, modality)
        ds.set(.seriesNumber, .IS, String(number))
        ds.set(.seriesDescription, .LO, description)
        ds.set(.laterality, .CS, [String]())
        if modality == "CT" || modality == "MR" {
            ds.set(.patientPosition, .CS, "HFS")
            ds.set(.frameOfReferenceUID, .UI, uid + ".0")
            ds.set(.positionReferenceIndicator, .LO, [String]())
        }
        if modality == "US" { ds.set(.patientOrientation, .CS, [String]()) }
        if modality == "SR" {
            ds.set(.referencedPerformedProcedureStepSequence, sequence: [])
            ds.set(.performedProcedureCodeSequence, sequence: [])
        }
    }

    public static func image(_ ds: inout DataSet, rows: Int, columns: Int, bits: Int, signed: Bool, photometric: String, pixels: [UInt16]) {
        ds.set(.samplesPerPixel, .US, numbers: [1])
        ds.set(.photometricInterpretation, .CS, photometric)
        ds.set(.rows, .US, numbers: [Double(rows)])
        ds.set(.columns, .US, numbers: [Double(columns)])
        ds.set(.bitsAllocated, .US, numbers: [Double(bits)])
        ds.set(.bitsStored, .US, numbers: [12])
        ds.set(.highBit, .US, numbers: [11])
        ds.set(.pixelRepresentation, .US, numbers: [signed ? 1 : 0])
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pixels.count * 2)
        for p in pixels { bytes += [UInt8(p & 0xFF), UInt8(p >> 8)] }
        ds.set(DataElement(.pixelData, .OW, bytes: bytes))
    }

    /// An axial CT slice of the phantom: image type, number, plane, kVp, rescale to HU, pixels.
    static func ctSlice(_ ds: inout DataSet, instance: Int, z: Int, spacing: String, size: Int, slice: Int) {
        ds.set(.imageType, .CS, ["ORIGINAL", "PRIMARY", "AXIAL"])
        ds.set(.instanceNumber, .IS, String(instance))
        plane(&ds, z: z, spacing: spacing)
        ds.set(.kvp, .DS, "120")
        ds.set(.rescaleIntercept, .DS, "-1024")
        ds.set(.rescaleSlope, .DS, "1")
        image(&ds, rows: size, columns: size, bits: 16, signed: false, photometric: "MONOCHROME2", pixels: phantom(size: size, slice: slice))
    }

    /// Image Plane module plus the acquisition basics CT and MR IODs require.
    public static func plane(_ ds: inout DataSet, z: Int, spacing: String) {
        ds.set(.imagePositionPatient, .DS, ["-120", "-120", String(z)])
        ds.set(.imageOrientationPatient, .DS, ["1", "0", "0", "0", "1", "0"])
        ds.set(.pixelSpacing, .DS, [spacing, spacing])
        ds.set(.sliceThickness, .DS, "5")
        ds.set(.acquisitionNumber, .IS, "1")
    }

    public static func code(_ value: String, _ scheme: String, _ meaning: String) -> DataSet {
        var c = DataSet()
        c.set(.codeValue, .SH, value)
        c.set(.codingSchemeDesignator, .SH, scheme)
        c.set(.codeMeaning, .LO, meaning)
        return c
    }

    /// A head-like phantom: air outside, a skull ring, brain inside; stored values (HU + 1024).
    static func phantom(size: Int, slice: Int) -> [UInt16] {
        var out = [UInt16](repeating: 24, count: size * size)
        let c = Double(size - 1) / 2, r = Double(size) * 0.42
        for y in 0..<size {
            for x in 0..<size {
                let d = ((Double(x) - c) * (Double(x) - c) + (Double(y) - c) * (Double(y) - c)).squareRoot()
                if d < r * 0.85 { out[y * size + x] = UInt16(1024 + 30 + (x + y + slice) % 10) }
                else if d < r { out[y * size + x] = 1024 + 1200 }
            }
        }
        return out
    }

    public static func instanceFile(_ ds: DataSet, sopClass: String, sopInstance: String) throws -> [UInt8] {
        var ds = ds
        ds.set(.sopClassUID, .UI, sopClass)
        ds.set(.sopInstanceUID, .UI, sopInstance)
        return try Part10Writer.encode(ds, sopClassUID: sopClass, sopInstanceUID: sopInstance)
    }
}
