import ArgumentParser
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
        do {
            var command = try Dicomfs.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
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
            Render.self, Web.self, Mime.self, Zip.self, Unzip.self, Request.self, Dump.self,
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
