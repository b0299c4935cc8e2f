import Foundation
import Testing
import TestSupport

/// A patient disc updated later: web content follows the DICOMDIR. After `remove` no
/// non-DICOM file of the set names the removed patient; after `add` the pages, README.TXT
/// and the viewer list the new one; `web` rebuilds a set's pages without touching it.
@Suite(.tags(.unit)) struct WebUpdateTests {
    /// Every file outside DICOM/ and the DICOMDIR whose bytes hold one of the strings.
    func webFilesMentioning(_ strings: [String], in set: String) throws -> [String] {
        let files = try FileManager.default.subpathsOfDirectory(atPath: set).filter { p in
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: set + "/" + p, isDirectory: &d) && !d.boolValue
                && !p.hasPrefix("DICOM/") && p != "DICOMDIR"
        }
        return try files.filter { f in
            let data = try Data(contentsOf: URL(fileURLWithPath: set + "/" + f))
            return strings.contains { data.range(of: Data($0.utf8)) != nil }
        }
    }

    @Test func removeLeavesNoTraceAndAddAppears() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        let c = try CLI.run(["create", source, "-o", set, "--web", "--viewer", "--icons"])
        try #require(c.status == 0, "\(c.stderr)")
        let patient = ["DCMFS001", "Doe"]
        #expect(!(try webFilesMentioning(patient, in: set)).isEmpty, "the test's strings are not in the pages to begin with")

        let r = try CLI.run(["remove", set, "--patient-id", "DCMFS001"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("regenerated"), "remove does not say it regenerated the web content: \(r.stdout)")
        let leaks = try webFilesMentioning(patient, in: set)
        #expect(leaks.isEmpty, "files still naming the removed patient: \(leaks)")
        let index = try String(contentsOfFile: set + "/INDEX.HTM", encoding: .utf8)
        #expect(index.contains("DCMFS002") && index.contains("DCMFS003"))
        #expect(try String(contentsOfFile: set + "/README.TXT", encoding: .utf8).contains("2 patient(s)"))
        let v = try CLI.run(["verify", set])
        #expect(v.status == 0, "\(v.stdout)")

        let a = try CLI.run(["add", set, source + "/ct-head-1.dcm", source + "/ct-head-2.dcm", source + "/sr-report.dcm"])
        #expect(a.status == 0, "\(a.stdout)\(a.stderr)")
        for file in ["INDEX.HTM", "VIEWER/DATA/INDEX.JS"] {
            let text = try String(contentsOfFile: set + "/" + file, encoding: .utf8)
            #expect(text.contains("DCMFS001"), "\(file) does not list the added patient")
        }
        // README.TXT counts what the set holds.
        #expect(try String(contentsOfFile: set + "/README.TXT", encoding: .utf8).contains("3 patient(s)"))
        #expect(try CLI.run(["verify", set]).status == 0)

        // --no-web drops it all; `web` writes it again, the DICOMDIR untouched.
        let before = try Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR"))
        #expect(try CLI.run(["remove", set, "--patient-id", "DCMFS003", "--no-web"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: set + "/INDEX.HTM") && !FileManager.default.fileExists(atPath: set + "/VIEWER"))
        let after = try Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR"))
        let w = try CLI.run(["web", set, "--viewer"])
        #expect(w.status == 0, "\(w.stderr)")
        #expect(FileManager.default.fileExists(atPath: set + "/INDEX.HTM") && FileManager.default.fileExists(atPath: set + "/VIEWER"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: set + "/DICOMDIR")) == after && after != before)
        #expect(try webFilesMentioning(["DCMFS003"], in: set).isEmpty)
        #expect(try CLI.run(["verify", set]).status == 0)
    }

    /// A disc made with pictures of another size and quality, and modality values in the
    /// viewer, keeps them when an update regenerates its web content.
    @Test func anUpdateKeepsTheDiscsPictureSettings() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        let c = try CLI.run(["create", source, "-o", set, "--web", "--viewer", "--viewer-values", "--viewer-max-size", "100", "--viewer-quality", "55"])
        try #require(c.status == 0, "\(c.stderr)")
        let line = "Pictures: at most 100 pixels on the longer side, JPEG quality 55, viewer with modality values."
        #expect(try String(contentsOfFile: set + "/README.TXT", encoding: .utf8).contains(line))
        let data = try FileManager.default.contentsOfDirectory(atPath: set + "/VIEWER/DATA").filter { $0.hasPrefix("R") }
        #expect(try data.contains { try String(contentsOfFile: set + "/VIEWER/DATA/" + $0, encoding: .utf8).contains("\"kind\":\"values\"") })
        #expect(try CLI.run(["remove", set, "--patient-id", "DCMFS003"]).status == 0)
        let added = try CLI.run(["add", set, source + "/ct-japanese.dcm"])
        #expect(added.status == 0, "\(added.stdout) \(added.stderr)")
        #expect(try String(contentsOfFile: set + "/README.TXT", encoding: .utf8).contains(line), "the settings line is lost")
        let after = try FileManager.default.contentsOfDirectory(atPath: set + "/VIEWER/DATA").filter { $0.hasPrefix("R") }
        #expect(try after.contains { try String(contentsOfFile: set + "/VIEWER/DATA/" + $0, encoding: .utf8).contains("\"kind\":\"values\"") })
        let w = try CLI.run(["web", set, "--viewer"])
        let readme = try String(contentsOfFile: set + "/README.TXT", encoding: .utf8)
        #expect(w.status == 0 && readme.contains(line))
    }
}
