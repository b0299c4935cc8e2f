@testable import DICOM
import Testing
import TestSupport

@Suite(.tags(.unit)) struct ValueTests {
    @Test func dates() {
        #expect(DICOMDate(parsing: "20240229")?.iso == "2024-02-29")
        #expect(DICOMDate(parsing: "2024.03.01")?.description == "20240301")
        #expect(DICOMDate(parsing: "20230229") == nil)
        #expect(DICOMDate(parsing: "2024131") == nil)
        #expect(DICOMDate(parsing: "") == nil)
    }

    @Test func times() {
        let t = DICOMTime(parsing: "235959.123")
        #expect(t?.hour == 23 && t?.second == 59 && t?.microsecond == 123_000)
        #expect(DICOMTime(parsing: "07")?.minute == nil)
        #expect(DICOMTime(parsing: "10:15:30")?.description == "101530")
        #expect(DICOMTime(parsing: "2500") == nil)
        #expect(DICOMTime(parsing: "1015.5") == nil)
    }

    @Test func dateTimes() {
        let dt = DICOMDateTime(parsing: "20240301101530.5-0500")
        #expect(dt?.day == 1 && dt?.time?.microsecond == 500_000 && dt?.utcOffsetMinutes == -300)
        #expect(DICOMDateTime(parsing: "2024")?.month == nil)
        #expect(DICOMDateTime(parsing: "202413") == nil)
    }

    @Test func personNames() {
        let pn = PersonName(parsing: "Yamada^Tarou=山田^太郎=やまだ^たろう")
        #expect(pn.familyName == "Yamada" && pn.givenName == "Tarou")
        #expect(pn.ideographic == "山田^太郎" && pn.phonetic == "やまだ^たろう")
        #expect(PersonName(parsing: "Doe^John^^Dr^").description == "Doe^John^^Dr")
        #expect(PersonName(parsing: "Doe^John^^Dr").displayName == "Dr John Doe")
        #expect(PersonName(parsing: "Wang^XiaoDong=王^小東=").description == "Wang^XiaoDong=王^小東")
    }

    @Test func uids() {
        #expect(UIDRegistry.isValid("1.2.840.10008.1.2.1"))
        #expect(!UIDRegistry.isValid("1.02.3"))
        #expect(!UIDRegistry.isValid("1.2."))
        #expect(!UIDRegistry.isValid("1.2.a"))
        // PS3.5 §9.1's syntax holds; a first arc other than 0–2 is a warning, not invalid.
        #expect(UIDRegistry.isValid("999.999.2.19941105") && UIDRegistry.firstArcWarning("999.999.2.19941105") != nil)
        #expect(UIDRegistry.isValid("12.3") && UIDRegistry.firstArcWarning("12.3") != nil)
        #expect(UIDRegistry.firstArcWarning("1.2.840.10008.1.2.1") == nil && UIDRegistry.firstArcWarning("2") == nil)
        #expect(UIDRegistry.isValid("2.25.1"))
        #expect(!UIDRegistry.isValid(String(repeating: "1", count: 65)))
        for _ in 0..<100 {
            let uid = UIDGenerator.make()
            #expect(UIDRegistry.isValid(uid) && uid.hasPrefix("2.25."))
        }
        #expect(UIDGenerator.decimal(hi: 0, lo: 0) == "0")
        #expect(UIDGenerator.decimal(hi: 1, lo: 0) == "18446744073709551616")
        #expect(UIDGenerator.decimal(hi: .max, lo: .max) == "340282366920938463463374607431768211455")
        #expect(UIDRegistry.isValid(Part10Writer.implementationClassUID))
        #expect(UIDRegistry.entry(for: "1.2.840.10008.1.3.10")?.name == "Media Storage Directory Storage")
    }

    @Test func dictionary() {
        #expect(DataDictionary.entry(for: .patientName)?.keyword == "PatientName")
        #expect(DataDictionary.entry(keyword: "SOPInstanceUID")?.tag == .sopInstanceUID)
        // Repeating groups resolve by mask: (6002,3000) Overlay Data.
        #expect(DataDictionary.entry(for: Tag(0x6002, 0x3000))?.keyword == "OverlayData")
        #expect(DataDictionary.implicitVR(for: .pixelData) == .OW)
        #expect(DataDictionary.implicitVR(for: Tag(0x0028, 0x0106), signedPixels: true) == .SS)
        #expect(DataDictionary.implicitVR(for: Tag(0x0009, 0x0010)) == .LO)
        #expect(DataDictionary.implicitVR(for: Tag(0x0009, 0x1010)) == .UN)
    }

    @Test func numbersAndStrings() throws {
        var ds = DataSet()
        ds.set(.windowCenter, .DS, ["40", " -10.5 "])
        ds.set(.rows, .US, numbers: [512])
        ds.set(.imageType, .CS, ["ORIGINAL", "PRIMARY"])
        ds.set(DataElement(.frameIncrementPointer, .AT, bytes: [0x18, 0x00, 0x63, 0x10]))
        #expect(ds.doubles(.windowCenter) == [40, -10.5])
        #expect(ds.int(.rows) == 512)
        #expect(ds.strings(.imageType) == ["ORIGINAL", "PRIMARY"])
        #expect(ds.tags(.frameIncrementPointer) == [Tag(0x0018, 0x1063)])
        #expect(Tag.patientName.description == "(0010,0010)")
        #expect(Tag(0x0029, 0x0010).isPrivateCreator)
    }

    @Test func json() throws {
        let file = try DICOMFile.read(bytes: try Fixtures.ct())
        let text = DICOMJSON().encode(file.dataSet)
        #expect(text.contains(#""00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^Jane"}]}"#))
        #expect(text.contains(#""00281050": {"vr": "DS", "Value": [40]}"#))
        #expect(text.contains(#""7FE00010": {"vr": "OW", "BulkDataLength": 8192}"#))
        #expect(isJSONNumber("-1.5e3") && !isJSONNumber("+1") && !isJSONNumber(".5") && !isJSONNumber("1."))
        #expect(DICOMJSON.quote("a\"b\\\n") == #""a\"b\\\n""#)
        #expect(base64([0x4D, 0x61, 0x6E, 0x4D, 0x61]) == "TWFuTWE=")
        #expect(DICOMJSON(inlineBinary: true).encode(file.dataSet).contains("\"InlineBinary\""))
    }
}
