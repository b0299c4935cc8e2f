import FileSet
import Foundation
@testable import Interchange
import Testing
import TestSupport

/// One test per hostile input of the interchange issue: each refused with a clear message,
/// nothing written at or beside the destination.
@Suite(.tags(.interop)) struct HostileInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var expect: String
        /// Extra parts after the DICOMDIR (headers, body), or a whole-message edit.
        var parts: [(String, String)] = []
        var edit: (@Sendable (String) -> String)? = nil
        var maxBytes: Int? = nil
        var description: String { name }
    }

    static let dicomHeader = "Content-Type: application/dicom; id=\"%@\"\r\nContent-Transfer-Encoding: base64"

    static let cases: [Case] = [
        Case(name: "dot-dot id", expect: "contains . or ..", parts: [(String(format: dicomHeader, "DICOM/../../ETC"), "AAAA")]),
        Case(name: "leading slash", expect: "starts with /", parts: [(String(format: dicomHeader, "/TMP/X"), "AAAA")]),
        Case(name: "backslash", expect: "backslash", parts: [(String(format: dicomHeader, "DICOM\\\\X"), "AAAA")]),
        Case(name: "nine components", expect: "9 components", parts: [(String(format: dicomHeader, "A/B/C/D/E/F/G/H/I"), "AAAA")]),
        Case(name: "long component", expect: "not 1–8 characters", parts: [(String(format: dicomHeader, "DICOM/ABCDEFGHI"), "AAAA")]),
        Case(name: "lower case", expect: "outside A–Z 0–9 _", parts: [(String(format: dicomHeader, "DICOM/img1"), "AAAA")]),
        Case(name: "duplicate id", expect: "a second part with id", parts: [(String(format: dicomHeader, "DICOM/X"), "AAAA"), (String(format: dicomHeader, "DICOM/X"), "AAAA")]),
        Case(name: "second DICOMDIR", expect: "a second DICOMDIR", parts: [(String(format: dicomHeader, "DICOMDIR"), "AAAA")]),
        Case(name: "nested DICOMDIR", expect: "a second DICOMDIR", parts: [(String(format: dicomHeader, "SUB/DICOMDIR"), "AAAA")]),
        Case(name: "larger than declared", expect: "declares 2", parts: [(String(format: dicomHeader, "DICOM/X") + "\r\nContent-Length: 2", "AAAAAAAA")]),
        Case(name: "truncated base64", expect: "base64 data is truncated", parts: [(String(format: dicomHeader, "DICOM/X"), "AAAAA")]),
        Case(name: "boundary never closes", expect: "without its closing boundary", edit: { $0.replacingOccurrences(of: "--BOUNDARY--", with: "") }),
        Case(name: "truncated body", expect: "without its closing boundary", edit: { String($0.prefix($0.count / 2)) }),
        Case(name: "base64 bomb", expect: "decode to more than", parts: [(String(format: dicomHeader, "DICOM/BIG"), String(repeating: "AAAA", count: 300_000))], maxBytes: 500_000),
    ]

    func message(_ c: Case, dicomdir: Data) -> String {
        var m = "MIME-Version: 1.0\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary=\"BOUNDARY\"\r\n\r\n"
        m += "--BOUNDARY\r\n" + String(format: Self.dicomHeader, "DICOMDIR") + "\r\n\r\n" + dicomdir.base64EncodedString(options: .lineLength76Characters) + "\r\n"
        for (h, b) in c.parts { m += "--BOUNDARY\r\n" + h + "\r\n\r\n" + b + "\r\n" }
        m += "--BOUNDARY--\r\n"
        return c.edit?(m) ?? m
    }

    @Test(arguments: cases)
    func mimeIsRefused(_ c: Case) throws {
        let s = try sampleFileSet()
        let dicomdir = try Data(contentsOf: URL(fileURLWithPath: s.fileSet + "/DICOMDIR"))
        let path = s.dir + "/hostile.mime"
        try Data(message(c, dicomdir: dicomdir).utf8).write(to: URL(fileURLWithPath: path))
        var options = MIMEImport.Options()
        if let m = c.maxBytes { options.maxBytes = m }
        let before = try FileManager.default.contentsOfDirectory(atPath: s.dir).sorted()
        do {
            _ = try MIMEImport.importFiles([path], into: s.dir + "/out", options: options)
            Issue.record("\(c.name): imported")
        } catch let e as InterchangeError {
            #expect("\(e)".contains(c.expect), "\(c.name): \(e)")
        }
        // Nothing at the destination, nothing beside it, nothing above it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.dir).sorted() == before)
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/ETC") && !FileManager.default.fileExists(atPath: "/TMP/X"))
    }

    @Test(.enabled(if: External.has("zip", "python3"), "needs zip, python3")) func zipSlipSymlinkAndBombAreRefused() throws {
        let s = try sampleFileSet()
        // Zip slip: an entry named ../EVIL next to a proper file-set.
        let slip = try External.python("""
        import sys, zipfile, os
        root, out = sys.argv[1], sys.argv[2]
        with zipfile.ZipFile(out, 'w') as z:
            for d, _, ns in os.walk(root):
                for n in ns:
                    p = os.path.join(d, n); z.write(p, os.path.relpath(p, root))
            z.writestr('../EVIL', b'x')
        """, [s.fileSet, s.dir + "/slip.zip"])
        #expect(slip.status == 0, Comment(rawValue: slip.stderr))
        // A symbolic link entry.
        try FileManager.default.createSymbolicLink(atPath: s.fileSet + "/LINK", withDestinationPath: "/etc/passwd")
        let link = try External.run("sh", ["-c", "cd '\(s.fileSet)' && zip -qry '\(s.dir)/link.zip' ."])
        #expect(link.status == 0)
        try FileManager.default.removeItem(atPath: s.fileSet + "/LINK")
        // A bomb: 200 MB of zeros deflated to a few hundred KB.
        let bomb = try External.python("""
        import sys, zipfile, os
        root, out = sys.argv[1], sys.argv[2]
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
            z.write(os.path.join(root, 'DICOMDIR'), 'DICOMDIR')
            z.writestr('DICOM/ZEROS', b'\\0' * (200 << 20))
        """, [s.fileSet, s.dir + "/bomb.zip"])
        #expect(bomb.status == 0, Comment(rawValue: bomb.stderr))
        for (archive, expect) in [("slip.zip", "would leave the folder"), ("link.zip", "symbolic link"), ("bomb.zip", "zip bomb")] {
            try expectRefused(archive, expect, in: s.dir)
            #expect(!FileManager.default.fileExists(atPath: s.dir + "/EVIL"))
        }
    }

    /// message/partial numbers come from the sender: total=0, -1 or 100000000 in a 100-byte
    /// message are refused at once, never iterated or allocated.
    @Test(arguments: [("0", "total=0"), ("-1", "total=-1"), ("100000000", "fragments missing"), ("x", "no fragment says the total")])
    func partialTotalsAreBounded(_ total: String, _ expect: String) throws {
        let dir = try External.tempDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/f.001"
        let m = "MIME-Version: 1.0\r\nContent-Type: message/partial; id=\"x@y\"; number=1; total=\(total)\r\n\r\nhello\r\n"
        try Data(m.utf8).write(to: URL(fileURLWithPath: path))
        let start = Date()
        #expect(throws: InterchangeError.self) { _ = try MIMEImport.importFiles([path], into: dir + "/out") }
        do { _ = try MIMEImport.importFiles([path], into: dir + "/out") } catch let e as InterchangeError {
            #expect("\(e)".contains(expect), "\(e)")
        }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// Entries that share bytes (14 KB that would write 100 MiB), a name given twice, and an
    /// archive whose DICOMDIR is not DICOM: refused, nothing left at or beside the output.
    @Test(.enabled(if: External.hasPython, "builds the archives with python3's zipfile"))
    func overlappingDuplicateAndBrokenArchivesLeaveNothing() throws {
        let s = try sampleFileSet()
        let made = try External.python("""
        import sys, zipfile, os, struct
        root, d = sys.argv[1], sys.argv[2]
        def full(out, extra):
            with zipfile.ZipFile(out, 'w') as z:
                for base, _, ns in os.walk(root):
                    for n in ns:
                        p = os.path.join(base, n); z.write(p, os.path.relpath(p, root))
                extra(z)
        import warnings; warnings.simplefilter('ignore')
        full(d + '/dup.zip', lambda z: z.writestr('DICOMDIR', b'again'))
        with zipfile.ZipFile(d + '/broken.zip', 'w') as z:
            z.writestr('DICOMDIR', b'not dicom at all')
            z.writestr('DICOM/A', b'x' * 10)
        # 7,000 central directory entries all pointing at one deflated stream of 1 MB of zeros.
        with zipfile.ZipFile(d + '/one.zip', 'w', zipfile.ZIP_DEFLATED) as z:
            z.write(os.path.join(root, 'DICOMDIR'), 'DICOMDIR')
            z.writestr('DICOM/Z', b'\\0' * (1 << 20))
        b = open(d + '/one.zip', 'rb').read()
        eocd = b.rfind(b'PK\\x05\\x06'); cd = struct.unpack('<I', b[eocd+16:eocd+20])[0]
        entries = b[cd:eocd]
        second = entries.find(b'PK\\x01\\x02', 4)
        last = entries[second:]
        more = b''.join(last.replace(b'DICOM/Z', ('%07d' % i).encode()) for i in range(7000))
        count = 1 + 7001
        out = b[:cd] + entries + more
        out += b'PK\\x05\\x06' + struct.pack('<HHHHIIH', 0, 0, count, count, len(entries) + len(more), cd, 0)
        open(d + '/overlap.zip', 'wb').write(out)
        """, [s.fileSet, s.dir])
        #expect(made.status == 0, Comment(rawValue: made.stderr))
        for (archive, expect) in [("overlap.zip", "overlaps"), ("dup.zip", "twice"), ("broken.zip", "nothing was written")] {
            try expectRefused(archive, expect, in: s.dir)
        }
    }

    /// Imports `dir/archive`, which must be refused with `expect` in the message, leaving
    /// nothing at or beside the output.
    func expectRefused(_ archive: String, _ expect: String, in dir: String) throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        do {
            _ = try ZipInterchange.importArchive(dir + "/" + archive, into: dir + "/out")
            Issue.record("\(archive) imported")
        } catch let e as InterchangeError {
            #expect("\(e)".contains(expect), "\(archive): \(e)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before, "\(archive) left something behind")
    }
}
