import ArgumentParser
import Media
#if canImport(Glibc)
import Glibc
#endif

/// Exit codes, the same for every command (documented in the man page):
/// 0 ok, 1 findings or failure, 2 usage error or unusable input.
enum Exit {
    static let ok: Int32 = 0
    static let findings: Int32 = 1
    static let unusable: Int32 = 2
}

@main
struct Main {
    static func main() {
        // libisofs cannot be interrupted: bound its tree loading (DICOMFS_ISO_LOAD_SECONDS
        // changes the time, for tests and slow drives).
        var limits = ISOLoadLimits()
        if let s = getenv("DICOMFS_ISO_LOAD_SECONDS").flatMap({ Double(String(cString: $0)) }) { limits.seconds = s }
        if let m = getenv("DICOMFS_ISO_LOAD_MB").flatMap({ Int(String(cString: $0)) }) { limits.residentBytes = m << 20 }
        ISOImage.loadLimits = limits
        var parsed: ParsableCommand.Type?
        do {
            var command = try Dicomfs.parseAsRoot()
            parsed = type(of: command)
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let e as ValidationError where parsed != nil {
            // Thrown by a subcommand's run(): that subcommand's usage, not the top level's.
            let command = parsed ?? Dicomfs.self
            let name = Dicomfs.path(to: command)
            let arguments = command.usageString().split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            FileHandle.standardError("Error: \(e.message)\nUsage: dicomfs \(name) \(arguments)\n  See 'dicomfs \(name) --help' for more information.")
            exit(Exit.unusable)
        } catch {
            // A mistyped subcommand: say which one was meant.
            if let suggestion = Dicomfs.suggestion(for: CommandLine.arguments.dropFirst().first) {
                FileHandle.standardError(suggestion)
                exit(Exit.unusable)
            }
            // swift-argument-parser uses 64 (EX_USAGE) for usage errors; ours is 2.
            let code = Dicomfs.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError(Dicomfs.fullMessage(for: error))
                exit(Exit.unusable)
            }
            Dicomfs.exit(withError: error)
        }
    }
}

struct Dicomfs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicomfs",
        abstract: "Create, read, update and verify DICOM file-sets and interchange media.",
        discussion: """
        Exit status: 0 success; 1 findings (verification errors) or a failed operation; \
        2 usage error or input that cannot be read at all; 130 a burn or mastering run \
        cancelled by SIGINT or SIGTERM.
        """,
        version: "0.1.0",
        subcommands: [
            Create.self, List.self, Verify.self, Add.self, Remove.self, Iso.self, Drives.self, Burn.self,
            Render.self, Web.self, Mime.self, Zip.self, Unzip.self, Request.self, Serve.self, Send.self, Transcode.self, Dump.self,
        ]
    )
}

/// Minimal stderr/stdout writing without Foundation: whole writes to the file descriptors.
enum FileHandle {
    static func standardError(_ text: String) {
        writeAll(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func standardErrorRaw(_ text: String) { writeAll(2, text) }

    static func standardOutput(_ text: String) {
        writeAll(1, text)
    }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buf in
            guard let base = buf.baseAddress else { return }
            var done = 0
            while done < buf.count {
                let n = write(fd, base + done, buf.count - done)
                if n < 0 { if errno == EINTR { continue }; return }
                done += n
            }
        }
    }
}

extension Dicomfs {
    /// "request run" for RequestRun: the words that lead to a subcommand.
    static func path(to command: ParsableCommand.Type) -> String {
        func search(_ types: [ParsableCommand.Type], _ prefix: [String]) -> [String]? {
            for t in types {
                let here = prefix + [t._commandName]
                if t == command { return here }
                if let found = search(t.configuration.subcommands, here) { return found }
            }
            return nil
        }
        return search(configuration.subcommands, [])?.joined(separator: " ") ?? command._commandName
    }

    /// "did you mean 'create'?" for a first word that is no subcommand but close to one (at
    /// most two edits, or a prefix); nil when the word is a subcommand, an option, or far off.
    static func suggestion(for word: String?) -> String? {
        guard let word, !word.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.map { $0.configuration.commandName ?? String(describing: $0).lowercased() }
        guard !names.contains(word) && word != "help" else { return nil }
        func distance(_ a: String, _ b: String) -> Int {
            let a = Array(a), b = Array(b)
            var row = Array(0...b.count)
            for i in 1...max(1, a.count) where !a.isEmpty {
                var previous = row[0]
                row[0] = i
                for j in 1...max(1, b.count) where !b.isEmpty {
                    let current = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let best = names.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (name, d) = best, d <= 2 || name.hasPrefix(word) else {
            return "dicomfs: error: unknown command '\(word)'; the commands are: \(names.joined(separator: ", ")) (dicomfs --help)"
        }
        return "dicomfs: error: unknown command '\(word)'; did you mean '\(name)'? (dicomfs --help lists the commands)"
    }
}
