import Foundation
import Samples
import Testing
import TestSupport

@Suite struct MediaCommandTests {
    func samples() throws -> (source: String, dir: String) {
        let dir = try External.tempDirectory().path
        let source = dir + "/src"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for s in try SampleFactory.all() { try Data(s.bytes).write(to: URL(fileURLWithPath: source + "/" + s.fileName)) }
        return (source, dir)
    }

    @Test func createIsoThenListAndVerifyTheImage() throws {
        let s = try samples()
        let iso = s.dir + "/disc.iso"
        let r = try CLI.run(["create", s.source, "--iso", iso, "--fileset-id", "DEMO", "--json"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((json["image"] as? [String: Any])?["volumeID"] as? String == "DEMO")
        // Nothing but the image is left next to it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.dir).sorted() == ["disc.iso", "src"])
        let ls = try CLI.run(["ls", iso, "--flat"])
        #expect(ls.status == 0)
        #expect(ls.stdout.split(separator: "\n").count == 7)   // header + 6 instances
        let v = try CLI.run(["verify", iso])
        #expect(v.status == 0, Comment(rawValue: v.stdout + v.stderr))
    }

    @Test func isoRefusesBadNamesWithExitTwoAndVerifyFindsDamageWithExitOne() throws {
        let s = try samples()
        let fs = s.dir + "/fs"
        #expect(try CLI.run(["create", s.source, "-o", fs]).status == 0)
        try Data("x".utf8).write(to: URL(fileURLWithPath: fs + "/notes-1.txt"))
        let bad = try CLI.run(["iso", fs, "-o", s.dir + "/bad.iso"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("notes-1.txt"))
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/bad.iso"))
        try FileManager.default.removeItem(atPath: fs + "/notes-1.txt")

        let iso = s.dir + "/ok.iso"
        #expect(try CLI.run(["iso", fs, "-o", iso, "--media", "dvd"]).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: iso))
        // Inside the first instance's pixel data (the CT samples are 9,406 bytes).
        let dicm = try #require(bytes.range(of: Data("DICM".utf8)))
        bytes[dicm.upperBound + 5000] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: iso))
        let v = try CLI.run(["verify", iso, "--json"])
        #expect(v.status == 1)
        #expect(v.stdout.contains("MD5 does not match"))
        #expect(try CLI.run(["iso", fs, "-o", s.dir + "/small.iso", "--capacity", "50KB"]).status == 2)
        #expect(try CLI.run(["iso", fs, "-o", s.dir + "/x.iso", "--capacity", "lots"]).status == 2)
    }

    @Test func burnToAStdioDriveAndListIt() throws {
        let s = try samples()
        let fs = s.dir + "/fs"
        #expect(try CLI.run(["create", s.source, "-o", fs]).status == 0)
        let target = s.dir + "/burned.iso"
        let b = try CLI.run(["burn", fs, "--drive", "stdio:" + target])
        #expect(b.status == 0, Comment(rawValue: b.stderr))
        #expect(b.stdout.contains("read back and verified"))
        let again = try CLI.run(["burn", fs, "--drive", "stdio:" + target])
        #expect(again.status == 2)
        #expect(again.stderr.contains("not blank"))
        let d = try CLI.run(["drives", "--drive", "stdio:" + target, "--json"])
        #expect(d.status == 0)
        #expect(d.stdout.contains("\"status\" : \"appendable\""))
        let full = try CLI.run(["burn", fs, "--drive", "stdio:/dev/full"])
        #expect(full.status == 1)
        #expect(full.stderr.contains("failed"))
    }
}
