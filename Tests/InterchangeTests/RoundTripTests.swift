import FileSet
import Foundation
@testable import Interchange
import Testing
import TestSupport

@Suite(.tags(.interop)) struct RoundTripTests {
    @Test(arguments: [(false, false), (true, false), (false, true)])
    func mimeRoundTrip(mixed: Bool, binary: Bool) throws {
        let s = try sampleFileSet()
        var o = MIMEExport.Options()
        o.mixed = mixed; o.binary = binary
        let files = try MIMEExport.export(fileSet: s.fileSet, to: s.dir + "/m.mime", options: o)
        #expect(files == [s.dir + "/m.mime"])
        let report = try MIMEImport.importFiles(files, into: s.dir + "/back")
        #expect(report.verification.errors == 0)
        #expect(try tree(s.dir + "/back") == tree(s.fileSet))
    }

    @Test func fragmentsInShuffledOrder() throws {
        let s = try sampleFileSet()
        var o = MIMEExport.Options()
        o.maxSize = 8_000
        let files = try MIMEExport.export(fileSet: s.fileSet, to: s.dir + "/f.mime", options: o)
        #expect(files.count > 5)
        for f in files { #expect(try Data(contentsOf: URL(fileURLWithPath: f)).count <= 8_000) }
        let report = try MIMEImport.importFiles(files.shuffled(), into: s.dir + "/back")
        #expect(report.verification.errors == 0)
        #expect(try tree(s.dir + "/back") == tree(s.fileSet))
        // A missing or doubled fragment is refused by name.
        #expect(throws: InterchangeError.self) { _ = try MIMEImport.importFiles(Array(files.dropLast()), into: s.dir + "/x") }
        do {
            _ = try MIMEImport.importFiles(files + [files[1]], into: s.dir + "/y")
            Issue.record("a fragment given twice was accepted")
        } catch { #expect("\(error)".contains("given twice")) }
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/x") && !FileManager.default.fileExists(atPath: s.dir + "/y"))
    }

    @Test(.enabled(if: External.has("unzip", "zip"), "needs unzip, zip")) func zipRoundTripAndTools() throws {
        let s = try sampleFileSet()
        try ZipInterchange.export(fileSet: s.fileSet, to: s.dir + "/set.zip")
        let report = try ZipInterchange.importArchive(s.dir + "/set.zip", into: s.dir + "/back")
        #expect(report.verification.errors == 0)
        #expect(try tree(s.dir + "/back") == tree(s.fileSet))
        do {
            let t = try External.run("unzip", ["-t", s.dir + "/set.zip"])
            #expect(t.status == 0, Comment(rawValue: String(decoding: t.stdout, as: UTF8.self)))
            // DICOM files stored, others deflated.
            let v = String(decoding: try External.run("unzip", ["-v", s.dir + "/set.zip"]).stdout, as: UTF8.self)
            #expect(v.split(separator: "\n").contains { $0.hasSuffix("DICOMDIR") && $0.contains("Stored") })
            #expect(v.split(separator: "\n").contains { $0.hasSuffix("README.TXT") && $0.contains("Defl") })
        }
        do {
            let z = try External.run("sh", ["-c", "cd '\(s.fileSet)' && zip -qr '\(s.dir)/other.zip' ."])
            #expect(z.status == 0)
            let r = try ZipInterchange.importArchive(s.dir + "/other.zip", into: s.dir + "/fromzip")
            #expect(r.verification.errors == 0)
            #expect(try tree(s.dir + "/fromzip") == tree(s.fileSet))
        }
    }

    /// Python's email package reads our message part by part, with the right id and name; and a
    /// message Python builds, as a mail client would, imports.
    @Test(.enabled(if: External.hasPython, "needs python3")) func pythonEmailInterop() throws {
        let s = try sampleFileSet()
        _ = try MIMEExport.export(fileSet: s.fileSet, to: s.dir + "/m.mime")
        let r = try External.python("""
        import sys, json, email, email.policy, hashlib
        msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
        out = []
        for part in msg.iter_parts():
            if part.get_content_type() == 'application/dicom':
                out.append([part.get_param('id'), part.get_param('name'), hashlib.sha256(part.get_payload(decode=True)).hexdigest()])
        print(json.dumps({'type': msg.get_content_type(), 'parts': out}))
        """, [s.dir + "/m.mime"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["type"] as? String == "multipart/related")
        let parts = try #require(json["parts"] as? [[String]])
        let files = try tree(s.fileSet)
        #expect(parts.count == 7)
        for p in parts {
            let data = try #require(files[p[0]], "\(p[0])")
            #expect(p[1] == (p[0] == "DICOMDIR" ? "DICOMDIR" : String(p[0].split(separator: "/").last ?? "") + ".dcm"))
            let digest = try External.python("import sys, hashlib; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [s.fileSet + "/" + p[0]])
            #expect(digest.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == p[2], "\(p[0]) \(data.count)")
        }

        // Built by Python's email library: multipart/mixed, LF line ends, base64 by default.
        let built = try External.python("""
        import sys, os
        from email.message import EmailMessage
        root, out = sys.argv[1], sys.argv[2]
        msg = EmailMessage()
        msg['Subject'] = 'images'
        msg.set_content('Images attached.')
        for dirpath, _, names in os.walk(root):
            for n in sorted(names):
                full = os.path.join(dirpath, n)
                rel = os.path.relpath(full, root)
                if n.endswith('.TXT'):
                    continue
                data = open(full, 'rb').read()
                msg.add_attachment(data, maintype='application', subtype='dicom',
                                   filename=(n if n == 'DICOMDIR' else n + '.dcm'), params={'id': rel})
        open(out, 'wb').write(bytes(msg))
        """, [s.fileSet, s.dir + "/python.eml"])
        #expect(built.status == 0, Comment(rawValue: built.stderr))
        let report = try MIMEImport.importFiles([s.dir + "/python.eml"], into: s.dir + "/frompython")
        #expect(report.verification.errors == 0)
        var expected = try tree(s.fileSet)
        expected["README.TXT"] = nil
        #expect(try tree(s.dir + "/frompython") == expected)
    }
}
