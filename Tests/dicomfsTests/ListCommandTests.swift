import Foundation
import Samples
import Testing
import TestSupport

@Suite(.tags(.unit)) struct ListCommandTests {
    func fileSet() throws -> String {
        let source = try External.tempDirectory().path
        for s in try SampleFactory.all() { try Data(s.bytes).write(to: URL(fileURLWithPath: source + "/" + s.fileName)) }
        let out = try External.tempDirectory().path + "/fs"
        #expect(try CLI.run(["create", source, "-o", out, "--fileset-id", "LSTEST"]).status == 0)
        return out
    }

    @Test func listsTheTree() throws {
        let fs = try fileSet()
        let r = try CLI.run(["ls", fs])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.hasPrefix("File-set LSTEST"))
        #expect(r.stdout.contains("6 instances"))
        #expect(r.stdout.contains("PATIENT  Yamada^Tarou=山田^太郎=やまだ^たろう  ID DCMFS003"))
        #expect(r.stdout.contains("PATIENT  Müller^Jürgen  ID DCMFS002"))
        #expect(r.stdout.contains("SR DOCUMENT  #1  DICOM/P0000001/S0000001/R0000002/I0000001"))
        // The DICOMDIR file itself works as PATH too.
        #expect(try CLI.run(["ls", fs + "/DICOMDIR"]).stdout == r.stdout)
    }

    @Test func flatJSONAndFilters() throws {
        let fs = try fileSet()
        let flat = try CLI.run(["ls", fs, "--flat"]).stdout.split(separator: "\n")
        #expect(flat.count == 7)  // header + 6 instances
        #expect(flat.first?.hasPrefix("PatientID\tPatientName") == true)
        let ct = try CLI.run(["ls", fs, "--flat", "--modality", "ct"]).stdout.split(separator: "\n")
        #expect(ct.count == 4)
        let doe = try CLI.run(["ls", fs, "--flat", "--patient-id", "DCMFS001"]).stdout.split(separator: "\n")
        #expect(doe.count == 4)
        let json = try CLI.run(["ls", fs, "--json"])
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(tree.count == 3)
        #expect(tree.first?["type"] as? String == "PATIENT")
        let keys = tree.first?["keys"] as? [String: String]
        #expect(keys?["PatientID"] == "DCMFS001")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["ls", fs, "--json", "--flat"]).stdout.utf8)) as? [[String: String]])
        #expect(rows.count == 6)
        #expect(Set(rows.compactMap { $0["fileID"] }).count == 6)
    }

    @Test func neverWrites() throws {
        let fs = try fileSet()
        func snapshot() throws -> [String: Date] {
            var out: [String: Date] = [:]
            let e = FileManager.default.enumerator(atPath: fs)
            while let p = e?.nextObject() as? String {
                out[p] = try FileManager.default.attributesOfItem(atPath: fs + "/" + p)[.modificationDate] as? Date
            }
            return out
        }
        let before = try snapshot()
        _ = try CLI.run(["ls", fs, "--json"])
        _ = try CLI.run(["ls", fs, "--flat"])
        #expect(try snapshot() == before)
    }

    @Test func unusableInput() throws {
        #expect(try CLI.run(["ls", "/nonexistent"]).status == 2)
        let dir = try External.tempDirectory().path
        #expect(try CLI.run(["ls", dir]).stderr.contains("no DICOMDIR"))
        #expect(try CLI.run(["ls", CLI.sample("mr-knee.dcm")]).status == 2)  // DICOM, but not a DICOMDIR
    }

    /// A cycle and a dangling offset: listing ends, reports both, and shows what it can.
    @Test func brokenLinksAreReportedNotFatal() throws {
        let fs = try fileSet()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fs + "/DICOMDIR")))
        // Find the first record (offset in (0004,1200)) and point its next-record offset at itself.
        let first = try firstRecordOffset(bytes)
        let nextAt = first + 16
        for i in 0..<4 { bytes[nextAt + i] = UInt8((first >> (8 * i)) & 0xFF) }
        try Data(bytes).write(to: URL(fileURLWithPath: fs + "/DICOMDIR"))
        let r = try CLI.run(["ls", fs])
        #expect(r.status == 1)   // errors found, what could be read listed (the one exit-status rule)
        #expect(r.stderr.contains("cycle"))
        #expect(r.stdout.contains("PATIENT  Doe^Jane"))
    }

    func firstRecordOffset(_ bytes: [UInt8]) throws -> Int {
        // (0004,1200) UL: tag 04 00 00 12, "UL", length 4, value.
        for i in 132..<(bytes.count - 12) where bytes[i] == 0x04 && bytes[i + 1] == 0 && bytes[i + 2] == 0x00 && bytes[i + 3] == 0x12 {
            return Int(bytes[i + 8]) | Int(bytes[i + 9]) << 8 | Int(bytes[i + 10]) << 16 | Int(bytes[i + 11]) << 24
        }
        throw CocoaError(.fileReadCorruptFile)
    }
}

extension ListCommandTests {
    @Test func verifyExitCodes() throws {
        let fs = try fileSet()
        let clean = try CLI.run(["verify", fs])
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("0 errors, 0 warnings"))
        try FileManager.default.removeItem(atPath: fs + "/DICOM/P0000001/S0000001/R0000001/I0000002")
        let broken = try CLI.run(["verify", fs, "--json"])
        #expect(broken.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: String]])
        #expect(findings.contains { $0["severity"] == "error" && $0["message"] == "referenced file does not exist" })
        #expect(try CLI.run(["verify", try External.tempDirectory().path]).status == 2)
    }
}
