import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// PS3.5 §6.2.2: a standard element sent as UN (anonymizers and some PACS do) carries the
/// Implicit VR Little Endian encoding of its real VR; it is read as that VR, values and
/// sequences alike, as pydicom, DCMTK and dcm4che read it (pydicom's explicit_VR-UN.dcm,
/// rtdose_rle.dcm).
@Suite(.tags(.unit)) struct UNValueTests {
    @Test func standardElementsSentAsUNReadAsTheirVR() throws {
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        let uid = ds.string(.sopInstanceUID) ?? ""
        var uidBytes = Array(uid.utf8); if uidBytes.count % 2 == 1 { uidBytes.append(0) }
        ds.set(DataElement(.sopInstanceUID, .UN, bytes: uidBytes))
        ds.set(DataElement(.seriesNumber, .UN, bytes: Array("7 ".utf8)))
        // A sequence as UN: one item, implicit VR LE, holding Code Value (0008,0100) "T-A0100".
        let code = Array("T-A0100 ".utf8)
        var item: [UInt8] = [0x08, 0x00, 0x00, 0x01] + le32(code.count) + code
        item = [0xFE, 0xFF, 0x00, 0xE0] + le32(item.count) + item
        ds.set(DataElement(Tag(0x0008, 0x2218), .UN, bytes: item))   // Anatomic Region Sequence
        let bytes = try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: uid)
        let file = try DICOMFile.read(bytes: bytes)
        #expect(file.dataSet[.sopInstanceUID]?.vr == .UI && file.dataSet.string(.sopInstanceUID) == uid)
        #expect(file.dataSet[.seriesNumber]?.vr == .IS && file.dataSet.int(.seriesNumber) == 7)
        let items = try #require(file.dataSet.sequence(Tag(0x0008, 0x2218)))
        #expect(items.count == 1 && items.first?.string(Tag(0x0008, 0x0100)) == "T-A0100")
        // The header scan's fast path leaves such files to the general reader.
        #expect(RawHeader.read(source: MemoryByteSource(bytes)) == nil)
    }

    func le32(_ n: Int) -> [UInt8] { [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24 & 0xFF)] }

    /// Fuzz finding (part10 target): a UN value of a standard sequence whose items ran past
    /// the value; read as a sequence it did not write back. A UN value becomes a sequence only
    /// when defined-length items fill it exactly, else it stays UN; every file that reads
    /// writes back and reads again. The input is kept as a fuzz seed.
    @Test func unSequenceThatDoesNotFitStaysUN() throws {
        let path = External.repoRoot.appendingPathComponent("Fuzz/seeds/regression-un-sequence.dcm").path
        let file = try DICOMFile.read(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let syntax: TransferSyntax = file.transferSyntax.isEncapsulated ? file.transferSyntax : .explicitVRLittleEndian
        let written = try Part10Writer.encode(file.dataSet, sopClassUID: "1.2.3", sopInstanceUID: "1.2.3.4", transferSyntax: syntax)
        let again = try DICOMFile.read(bytes: written)
        #expect(again.dataSet.count == file.dataSet.elements.filter { $0.tag.group != 0x0002 }.count)
    }
}
