import Foundation
import Samples
import Testing
import TestSupport

/// dcm4che-style sets mark deleted records inactive (In-use Flag 0000H) and leave the files.
/// Updates keep them as they were (a clean set stays clean); remove --compact drops them
/// and deletes their files, saying so.
@Suite(.tags(.unit)) struct InactiveRecordTests {
    @Test func updatesKeepInactiveRecordsAndCompactDropsThem() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        try #require(try CLI.run(["create", source, "-o", set]).status == 0)
        // The first record (patient DCMFS001) marked inactive: (0004,1410) US FFFF → 0000.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR")))
        let flag: [UInt8] = [0x04, 0x00, 0x10, 0x14, 0x55, 0x53, 0x02, 0x00, 0xFF, 0xFF]
        let at = try #require((0...(bytes.count - 10)).first { bytes[$0..<($0 + 10)].elementsEqual(flag) })
        bytes[at + 8] = 0; bytes[at + 9] = 0
        try Data(bytes).write(to: URL(fileURLWithPath: set + "/DICOMDIR"))
        let inactiveFile = set + "/DICOM/P0000001/S0000001/R0000001/I0000001"

        let v0 = try CLI.run(["verify", set])
        #expect(v0.status == 0 && v0.stdout.contains("inactive"), "\(v0.stdout)")
        let r = try CLI.run(["remove", set, "--patient-id", "DCMFS003"])
        #expect(r.status == 0, "\(r.stderr)")
        let v1 = try CLI.run(["verify", set])
        #expect(v1.status == 0, "remove made a clean set fail verify:\n\(v1.stdout)")
        #expect(FileManager.default.fileExists(atPath: inactiveFile))
        #expect(try CLI.run(["ls", set]).stdout.contains("DCMFS001") == false)

        let c = try CLI.run(["remove", set, "--compact"])
        #expect(c.status == 0 && c.stdout.contains("--compact"), "\(c.stdout)\(c.stderr)")
        #expect(!FileManager.default.fileExists(atPath: inactiveFile))
        let v2 = try CLI.run(["verify", set])
        #expect(v2.status == 0 && v2.stdout.contains("(0 inactive)"), "\(v2.stdout)")
    }
}
