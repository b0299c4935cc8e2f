@testable import DICOM
import Testing
import TestSupport

/// Decoding per Specific Character Set. Byte vectors come from Python's codecs and the
/// examples of PS3.5 Annexes H, I and J, not from the code under test.
@Suite(.tags(.unit)) struct CharsetTests {
    func decode(_ charset: String, _ bytes: [UInt8], vr: VR = .PN) -> String {
        SpecificCharacterSet(charset).decode(bytes, vr: vr)
    }

    @Test func singleByteSets() {
        #expect(decode("ISO_IR 100", [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72]) == "Müller")
        #expect(decode("ISO_IR 144", [0xBB, 0xEE, 0xDA, 0x63, 0x65, 0xDC, 0xD1, 0x79, 0x70, 0xD3]) == "Люкceмбypг")
        #expect(decode("ISO_IR 126", [0xC4, 0xE9, 0xEF, 0xED, 0xF5, 0xF3, 0xE9, 0xEF, 0xF2]) == "Διονυσιος")
        #expect(decode("ISO_IR 138", [0xF9, 0xF8, 0xE5, 0xEF, 0x5E, 0xE3, 0xE1, 0xE5, 0xF8, 0xE4]) == "שרון^דבורה")
        #expect(decode("ISO_IR 127", [0xE2, 0xC8, 0xC7, 0xE6, 0xEA, 0x5E, 0xE4, 0xE6, 0xD2, 0xC7, 0xD1]) == "قباني^لنزار")
        #expect(decode("ISO_IR 166", [0xB9, 0xD2, 0xC1, 0xCA, 0xA1, 0xD8, 0xC5]) == "นามสกุล")
        #expect(decode("ISO_IR 203", [0xA4, 0x75, 0x72, 0x6F]) == "€uro")
        #expect(decode("ISO_IR 13", [0xD4, 0xCF, 0xC0, 0xDE]) == "ﾔﾏﾀﾞ")
    }

    @Test func multiByteSetsWithoutCodeExtensions() {
        #expect(decode("ISO_IR 192", Array("Wang^XiaoDong=王^小東".utf8)) == "Wang^XiaoDong=王^小東")
        #expect(decode("GB18030", [0x57, 0x61, 0x6E, 0x67, 0x5E, 0x58, 0x69, 0x61, 0x6F, 0x44, 0x6F, 0x6E, 0x67, 0x3D,
                                   0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0xB6, 0xAB, 0x3D]) == "Wang^XiaoDong=王^小东=")
        #expect(decode("GBK", [0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0xB6, 0xAB]) == "王^小东")
    }

    @Test func iso2022Korean() {
        let bytes: [UInt8] = [0x48, 0x6F, 0x6E, 0x67, 0x5E, 0x47, 0x69, 0x6C, 0x64, 0x6F, 0x6E, 0x67, 0x3D, 0x1B, 0x24, 0x29, 0x43,
                              0xFB, 0xF3, 0x5E, 0x1B, 0x24, 0x29, 0x43, 0xD1, 0xCE, 0xD4, 0xD7, 0x3D, 0x1B, 0x24, 0x29, 0x43, 0xC8,
                              0xAB, 0x5E, 0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE6, 0xB5, 0xBF]
        #expect(decode("\\ISO 2022 IR 149", bytes) == "Hong^Gildong=洪^吉洞=홍^길동")
    }

    @Test func iso2022JapaneseKatakanaAndKanji() {
        let bytes: [UInt8] = [0x1B, 0x29, 0x49, 0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0x1B, 0x29, 0x49, 0xC0, 0xDB, 0xB3, 0x3D, 0x1B, 0x24,
                              0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x4A, 0x5E, 0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B,
                              0x28, 0x4A]
        #expect(decode("ISO 2022 IR 13\\ISO 2022 IR 87", bytes) == "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎")
    }

    @Test func iso2022JapaneseSupplementary() {
        // JIS X 0212 row 11, cell 1 (0x2B21) is "á"; then back to ASCII.
        let bytes: [UInt8] = [0x1B, 0x24, 0x28, 0x44, 0x2B, 0x21, 0x1B, 0x28, 0x42, 0x41]
        #expect(decode("\\ISO 2022 IR 159", bytes) == "áA")
    }

    @Test func codeElementsResetAtDelimiters() {
        // Writers switch back before a delimiter (PS3.5 §6.1.2.5.3) ...
        let jis: [UInt8] = [0x1B, 0x24, 0x42, 0x3B, 0x33, 0x1B, 0x28, 0x42, 0x5C, 0x41, 0x42]
        #expect(decode("\\ISO 2022 IR 87", jis, vr: .LO) == "山\\AB")
        // ... and after a delimiter the initial G1 set (here Latin-1) is in force again.
        let mixed: [UInt8] = [0x1B, 0x2D, 0x4C, 0xBB, 0x5C, 0xFC]
        #expect(decode("ISO 2022 IR 100\\ISO 2022 IR 144", mixed, vr: .LO) == "Л\\ü")
    }

    @Test func invalidBytesBecomeReplacementCharacters() {
        #expect(decode("ISO_IR 192", [0x41, 0xFF, 0x42]) == "A\u{FFFD}B")
        #expect(decode("GB18030", [0x41, 0x81]).hasPrefix("A"))
        #expect(SpecificCharacterSet("ISO_IR 999").problem?.contains("ISO_IR 999") == true)
    }

    @Test func encodeForWriting() {
        #expect(SpecificCharacterSet("ISO_IR 100").encode("Müller") == [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72])
        #expect(SpecificCharacterSet("ISO_IR 144").encode("Люк") == [0xBB, 0xEE, 0xDA])
        #expect(SpecificCharacterSet("ISO_IR 192").encode("王") == Array("王".utf8))
        #expect(SpecificCharacterSet.default.encode("Müller") == nil)
    }

    @Test func itemsInheritTheirParentsCharacterSet() throws {
        var item = DataSet()
        item.set(DataElement(.patientName, .PN, bytes: [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72]))
        var ds = DataSet()
        ds.set(.specificCharacterSet, .CS, "ISO_IR 100")
        ds.set(.referencedPatientSequence, sequence: [item])
        let bytes = try Part10Writer.encode(ds, sopClassUID: "1.2.3", sopInstanceUID: "1.2.3.4")
        let back = try DICOMFile.read(bytes: bytes)
        let decoded = try #require(back.dataSet.sequence(.referencedPatientSequence)?.first)
        #expect(decoded.string(.patientName) == "Müller")
    }
}
