import Foundation
import Samples
import Testing
import TestSupport

/// SIGKILL at random moments of add and remove: afterwards verify passes, and the file-set
/// holds either exactly the old instances or exactly the new ones — never a missing file.
@Suite(.tags(.stress)) struct CrashSafetyTests {
    func referencedCount(_ fs: String) throws -> (status: Int32, count: Int, text: String) {
        let r = try CLI.run(["verify", fs, "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r.status, report?["referencedFiles"] as? Int ?? -1, r.stdout)
    }

    @Test func killedAtAnyMomentLosesNothing() throws {
        let base = try External.tempDirectory().path
        let source = base + "/samples"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for s in try SampleFactory.all() { try Data(s.bytes).write(to: URL(fileURLWithPath: source + "/" + s.fileName)) }
        let template = base + "/template"
        #expect(try CLI.run(["create", source, "-o", template]).status == 0)
        var more = CorpusGenerator()
        more.patients = 2
        more.studiesPerPatient = 1
        try more.write(to: base + "/more")

        // Kill anywhere from the start to a little past the end of an uninterrupted run, timed
        // here and now: the windows stay right when the machine is loaded (CI, parallel tests).
        func duration(_ arguments: [String]) throws -> UInt32 {
            let work = base + "/timing"
            try? FileManager.default.removeItem(atPath: work)
            try FileManager.default.copyItem(atPath: template, toPath: work)
            let start = Date()
            _ = try CLI.run(arguments.map { $0 == "WORK" ? work : $0 })
            defer { try? FileManager.default.removeItem(atPath: work) }
            return UInt32(max(0.02, -start.timeIntervalSinceNow) * 1.6e6)
        }
        let addWindow = try duration(["add", "WORK", base + "/more"])
        let removeWindow = try duration(["remove", "WORK", "--patient-id", "DCMFS002"])
        var rng = SystemRandomNumberGenerator()
        var outcomes: [String: Int] = [:]
        for trial in 0..<120 {
            let work = base + "/work\(trial)"
            try FileManager.default.copyItem(atPath: template, toPath: work)
            let adding = trial % 2 == 0
            let p = Process()
            p.executableURL = CLI.binary
            p.arguments = adding ? ["add", work, base + "/more"] : ["remove", work, "--patient-id", "DCMFS002"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 0...(adding ? addWindow : removeWindow), using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let (status, count, text) = try referencedCount(work)
            #expect(status == 0, Comment(rawValue: "trial \(trial) (\(adding ? "add" : "remove")): verify failed: \(text.prefix(2000))"))
            let expected: Set<Int> = adding ? [6, 26] : [6, 4]
            #expect(expected.contains(count), "trial \(trial): \(count) files referenced")
            outcomes["\(adding ? "add" : "remove"):\(count)", default: 0] += 1
            // The next update cleans up whatever the killed one left, and succeeds.
            if trial % 10 == 0 {
                let again = try CLI.run(adding ? ["add", work, base + "/more", "--skip-existing"] : ["remove", work, "--patient-id", "DCMFS001"])
                #expect(again.status == 0 || again.stderr.contains("no DICOM Part 10 files to add"), Comment(rawValue: again.stderr))
                #expect(try referencedCount(work).status == 0)
            }
            try? FileManager.default.removeItem(atPath: work)
        }
        print("crash trials: \(outcomes.sorted { $0.key < $1.key })")
        // Both the old and the new state were seen for each command: kills landed on both sides of the commit.
        for key in ["add:6", "add:26", "remove:6", "remove:4"] {
            #expect((outcomes[key] ?? 0) > 0, "no trial ended in \(key)")
        }
    }
}
