import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// `verify --json` gives one finding per planted fault, each with its stable rule, its
/// severity and the file it concerns (plus offset and tag where the fault has them); the
/// exit status follows from the severities.
@Suite(.tags(.unit)) struct VerifyJSONTests {
    @Test func plantedFaultsOneFindingEach() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        try #require(try CLI.run(["create", source, "-o", set]).status == 0)
        let clean = try CLI.run(["verify", set, "--json"])
        #expect(clean.status == 0)

        // 1 a referenced file removed, 2 a DICOM file nobody references, 3 a FIFO, 4 a
        // Referenced File ID that leads out of the set (its file is then unreferenced: 5).
        try FileManager.default.removeItem(atPath: set + "/DICOM/P0000002/S0000001/R0000001/I0000001")
        try FileManager.default.copyItem(atPath: source + "/ct-head-1.dcm", toPath: set + "/DICOM/STRAY")
        #expect(mkfifo(set + "/PIPE", 0o644) == 0)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR")))
        let old = Array("DICOM\\P0000003\\S0000001\\R0000001\\I0000001".utf8)
        let at = try #require((0...(bytes.count - old.count)).first { bytes[$0..<($0 + old.count)].elementsEqual(old) })
        let new = Array("..\\OUTSIDE".utf8)
        bytes.replaceSubrange(at..<(at + old.count), with: new + [UInt8](repeating: 0x20, count: old.count - new.count))
        try Data(bytes).write(to: URL(fileURLWithPath: set + "/DICOMDIR"))

        let r = try CLI.run(["verify", set, "--json"])
        #expect(r.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        func one(_ rule: String, file: String) -> [String: Any]? {
            let matching = findings.filter { $0["rule"] as? String == rule && $0["file"] as? String == file }
            #expect(matching.count == 1, "\(rule) \(file): \(matching.count) findings in \(findings)")
            return matching.first
        }
        #expect(one("reference.missing-file", file: "DICOM/P0000002/S0000001/R0000001/I0000001")?["severity"] as? String == "error")
        #expect(one("fileset.unreferenced-dicom", file: "DICOM/STRAY")?["severity"] as? String == "error")
        #expect(one("fileset.entry.not-regular", file: "PIPE")?["severity"] as? String == "warning")
        let outside = one("fileid.outside", file: "DICOMDIR")
        #expect(outside?["tag"] as? String == "(0004,1500)" && outside?["offset"] is Int)
        #expect(one("fileset.unreferenced-dicom", file: "DICOM/P0000003/S0000001/R0000001/I0000001") != nil)
        for f in findings {
            #expect(f["rule"] is String && f["severity"] is String && f["file"] is String, "\(f)")
        }
    }
}
