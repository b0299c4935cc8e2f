import Foundation
import Samples
import Testing
import TestSupport

/// What ships beside the binary stays true to it: completions, man page, bundled samples.
@Suite(.tags(.unit)) struct DocumentationTests {
    @Test(arguments: [("bash", "dicomfs.bash"), ("zsh", "_dicomfs"), ("fish", "dicomfs.fish")])
    func completionsAreCurrent(_ shell: String, _ file: String) throws {
        let generated = try CLI.run(["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try String(contentsOf: CLI.repoRoot.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(generated.stdout == committed, "completions/\(file) is stale: run scripts/generate-completions")
    }

    /// Every subcommand and every option the parser knows is documented in man/dicomfs.1.
    @Test func manPageCoversEveryCommandAndOption() throws {
        let page = try String(contentsOf: CLI.repoRoot.appendingPathComponent("man/dicomfs.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
        let dump = try CLI.run(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var missing: [String] = []
        func visit(_ command: [String: Any], path: [String]) {
            let name = command["commandName"] as? String ?? ""
            let full = path + [name]
            if full.count > 1 && name != "help" && !page.contains(".SS \"" + full.joined(separator: " ")) {
                missing.append("command " + full.joined(separator: " "))
            }
            // Hidden options (tests' own, like serve --stop-after) are not for users.
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
                for n in argument["names"] as? [[String: Any]] ?? [] {
                    guard let kind = n["kind"] as? String, let value = n["name"] as? String else { continue }
                    let spelled = kind == "short" ? "-" + value : "--" + value
                    if !page.contains(spelled) { missing.append("\(full.joined(separator: " ")) \(spelled)") }
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { visit(sub, path: full) }
        }
        visit(try #require(root["command"] as? [String: Any]), path: [])
        #expect(missing.isEmpty, Comment(rawValue: "undocumented in man/dicomfs.1: \(missing)"))
        #expect(page.contains(".SH EXIT STATUS"))
    }

    /// samples/ holds exactly what the sample generator writes today.
    /// The example station configuration is one `serve` accepts (folders and port overridden
    /// on the command line, as the file's comment says options may).
    @Test func exampleStationConfigurationIsAccepted() throws {
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = External.repoRoot.appendingPathComponent("examples/station.toml").path
        let r = try CLI.run(["serve", "--config", config, "--host", "127.0.0.1", "--port", "0", "--spool", dir + "/spool", "--out", dir + "/out",
                             "--status", dir + "/status.json", "--stop-after", "0.5"])
        #expect(r.status == 0 && r.stderr.contains("ae=ARCHIVEDVD,PATIENTCD"), "\(r.stderr)")
    }

    @Test func bundledSamplesAreCurrent() throws {
        for sample in try SampleFactory.all() {
            let committed = try Data(contentsOf: CLI.repoRoot.appendingPathComponent("samples/\(sample.fileName)"))
            #expect([UInt8](committed) == sample.bytes, "samples/\(sample.fileName) is stale: run swift run dicomfs-samples samples")
        }
    }
}
