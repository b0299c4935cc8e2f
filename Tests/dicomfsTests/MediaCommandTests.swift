#if canImport(Glibc)
import Glibc
#endif
import DICOM
import Foundation
import Samples
import Testing
import TestSupport

@Suite(.tags(.interop)) struct MediaCommandTests {
    func samples() throws -> (source: String, dir: String) {
        let s = try CLI.sampleSource()
        return (s.source, s.dir)
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

@Suite(.tags(.stress)) struct BurnCancelTests {
    /// SIGINT during a burn: libburn is told to cancel, dicomfs waits until the drive is idle,
    /// releases it and exits 130. The "drive" is a FIFO drained slowly, so the burn is still
    /// running when the signal arrives.
    @Test func sigintCancelsABurnCleanly() throws {
        let dir = try External.tempDirectory().path
        var g = CorpusGenerator()
        g.patients = 2; g.studiesPerPatient = 2; g.seriesPerStudy = 2; g.imagesPerSeries = 20
        g.rows = 256; g.columns = 256; g.naming = .ids; g.extras = false
        _ = try g.write(to: dir + "/fs")
        #expect(try CLI.run(["create", "--in-place", dir + "/fs"]).status == 0)
        let fifo = dir + "/drive"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["python3", "-c", "import time\nf=open(__import__('sys').argv[1],'rb')\nwhile f.read(65536): time.sleep(0.05)", fifo]
        try reader.run()
        defer { reader.terminate() }
        let burn = Process()
        burn.executableURL = CLI.binary
        burn.arguments = ["burn", dir + "/fs", "--drive", "stdio:" + fifo, "--no-verify", "--media", "usb"]
        let err = Pipe()
        burn.standardError = err
        burn.standardOutput = FileHandle.nullDevice
        try burn.run()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(burn.isRunning, "the burn ended before the signal; the test needs a slower drive")
        kill(burn.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(20)
        while burn.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!burn.isRunning, "dicomfs did not stop after SIGINT")
        burn.waitUntilExit()
        #expect(burn.terminationStatus == 130)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("cancelled"), Comment(rawValue: message))
    }
}

@Suite(.tags(.interop)) struct InterchangeCommandTests {
    @Test func mimeAndZipCommands() throws {
        let (dir, source) = try CLI.sampleSource()
        #expect(try CLI.run(["create", source, "-o", dir + "/fs"]).status == 0)
        let e = try CLI.run(["mime", "export", dir + "/fs", "-o", dir + "/m.mime", "--max-size", "10KB"])
        #expect(e.status == 0, Comment(rawValue: e.stderr))
        let parts = e.stdout.split(separator: "\n").map(String.init)
        #expect(parts.count > 3 && parts.allSatisfy { $0.hasPrefix(dir + "/m.mime.") })
        let i = try CLI.run(["mime", "import"] + parts.reversed() + ["-o", dir + "/back", "--json"])
        #expect(i.status == 0, Comment(rawValue: i.stderr))
        #expect(i.stdout.contains("\"dicomFiles\" : 7"))
        // Half the fragments: exit 2, a clear message, nothing written.
        let half = try CLI.run(["mime", "import"] + Array(parts.prefix(2)) + ["-o", dir + "/half"])
        #expect(half.status == 2 && half.stderr.contains("missing"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/half"))
        #expect(try CLI.run(["zip", dir + "/fs", "-o", dir + "/s.zip"]).status == 0)
        #expect(try CLI.run(["unzip", dir + "/s.zip", "-o", dir + "/unz"]).status == 0)
        #expect(try CLI.run(["unzip", dir + "/m.mime.001", "-o", dir + "/bad"]).status == 2)
        #expect(try CLI.run(["mime", "export", dir + "/fs", "-o", dir + "/x.mime", "--max-size", "lots"]).status == 2)
    }
}

@Suite(.tags(.interop)) struct HotFolderTests {
    /// A watcher killed (SIGKILL) while a request runs: after a restart, every request has run
    /// at most once, the interrupted one is FAILURE (INTERRUPTED) unless it had finished, and
    /// the others are done. Three kill times.
    @Test func survivesSigkillWithoutDoubleProcessing() throws {
        let dir = try External.tempDirectory().path
        var g = CorpusGenerator()
        g.patients = 2; g.studiesPerPatient = 2; g.seriesPerStudy = 2; g.imagesPerSeries = 40
        g.rows = 256; g.columns = 256; g.naming = .ids; g.extras = false
        let files = try g.write(to: dir + "/store")
        var uids: [String] = []
        for f in files { if let u = try? DICOMFile.read(path: f.hasPrefix("/") ? f : dir + "/store/" + f, options: .headerOnly).sopInstanceUID { uids.append(u) } }
        #expect(uids.count == 320)
        for (trial, delay) in [0.15, 0.4, 0.9].enumerated() {
            let inbox = dir + "/inbox\(trial)", out = dir + "/out\(trial)"
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            func json(_ uids: [String], _ priority: String) -> String {
                let items = uids.map { "{\"00081155\": {\"vr\": \"UI\", \"Value\": [\"\($0)\"]}}" }.joined(separator: ",")
                return "{\"22000020\": {\"vr\": \"CS\", \"Value\": [\"\(priority)\"]}, \"22000008\": {\"vr\": \"CS\", \"Value\": [\"FOR_PATIENT\"]}, \"00081199\": {\"vr\": \"SQ\", \"Value\": [\(items)]}}"
            }
            try Data(json(uids, "LOW").utf8).write(to: URL(fileURLWithPath: inbox + "/small.json"))
            try Data(json(uids, "HIGH").utf8).write(to: URL(fileURLWithPath: inbox + "/big.json"))
            let args = ["request", "watch", inbox, "--store", dir + "/store", "--out", out, "--once"]
            let first = Process()
            first.executableURL = CLI.binary
            first.arguments = args
            let log1 = Pipe()
            first.standardError = log1
            first.standardOutput = FileHandle.nullDevice
            try first.run()
            Thread.sleep(forTimeInterval: delay)
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let second = try CLI.run(args)
            #expect(second.status == 0, Comment(rawValue: second.stderr))
            let logs = String(decoding: log1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) + second.stderr
            for name in ["big.json", "small.json"] {
                #expect(logs.components(separatedBy: "running \(name)").count - 1 <= 1, "\(name) ran twice: \(logs)")
                let status = try String(contentsOfFile: inbox + "/" + name.replacingOccurrences(of: ".json", with: ".status.json"), encoding: .utf8)
                #expect(status.contains("\"DONE\"") || status.contains("INTERRUPTED"), "\(name): \(status)")
            }
            // HIGH first: the big one was claimed before the small one, whatever happened to it.
            let big = try #require(logs.range(of: "running big.json"), "big.json never ran: \(logs)")
            let small = try #require(logs.range(of: "running small.json"), "small.json never ran: \(logs)")
            #expect(big.lowerBound < small.lowerBound)
            #expect(try String(contentsOfFile: inbox + "/small.status.json", encoding: .utf8).contains("\"DONE\""))
        }
    }
}
