import Foundation
import Samples
import Testing
import TestSupport

/// `verify` against dciodvfy on DICOMDIRs other tools wrote (dcmmkdir with and without
/// +I +X, gdcmgendir, pydicom's FileSet, our own) and on ones with planted Basic Directory IOD errors:
/// wherever dciodvfy reports an error on an attribute, verify reports an error on the same
/// attribute; where dciodvfy reports none, verify reports none.
@Suite(.tags(.interop)) struct DciodvfyAgreementTests {
    /// The attributes dciodvfy names in its "Error -" lines (all-error lines without a tag
    /// are summaries), and whether it reported any error at all.
    func dciodvfyErrors(_ dicomdir: String) throws -> (tags: Set<String>, any: Bool) {
        let r = try External.run("dciodvfy", [dicomdir])
        let lines = String(decoding: Data(r.stderr.utf8) + r.stdout, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("Error") }
        var tags: Set<String> = []
        for l in lines {
            if let range = l.range(of: #"\(0x([0-9a-fA-F]{4}),0x([0-9a-fA-F]{4})\)"#, options: .regularExpression) {
                let t = l[range].replacingOccurrences(of: "0x", with: "").uppercased()
                tags.insert(t)
            }
        }
        return (tags, !lines.isEmpty)
    }

    func verifyErrors(_ set: String) throws -> (tags: Set<String>, count: Int, text: String) {
        let r = try CLI.run(["verify", set, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        let errors = (report["findings"] as? [[String: Any]] ?? []).filter { $0["severity"] as? String == "error" }
        return (Set(errors.compactMap { $0["tag"] as? String }), errors.count, errors.map { $0["message"] as? String ?? "" }.joined(separator: "\n"))
    }

    /// The samples as files IM1… under `dir/DICOM`, or at the root.
    func files(_ dir: String, under folder: String = "DICOM") throws {
        let base = folder.isEmpty ? dir : dir + "/" + folder
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        for (i, s) in try SampleFactory.all().enumerated() { try Data(s.bytes).write(to: URL(fileURLWithPath: "\(base)/IM\(i + 1)")) }
    }

    func sets() throws -> [(name: String, path: String)] {
        let root = try External.tempDirectory().path
        var out: [(String, String)] = []
        for (name, args) in [("dcmmkdir", "+r +id ."), ("dcmmkdir +I +X", "+r +id . +I +X")] {
            let dir = root + "/" + name.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "+", with: "")
            try files(dir)
            _ = try External.run("/bin/sh", ["-c", "cd '\(dir)' && dcmmkdir \(args)"])
            out.append((name, dir))
        }
        try files(root + "/oursrc", under: "")
        #expect(try CLI.run(["create", root + "/oursrc", "-o", root + "/dicomfs", "--icons"]).status == 0)
        out.append(("dicomfs create --icons", root + "/dicomfs"))
        let gd = root + "/gdcmgendir"
        try files(gd, under: "")
        _ = try External.run("/bin/sh", ["-c", "cd '\(gd)' && gdcmgendir -i . -o ../gd.DICOMDIR && mv ../gd.DICOMDIR DICOMDIR"])
        out.append(("gdcmgendir", gd))
        let py = root + "/pydicom"
        try files(root + "/pysrc", under: "")
        _ = try External.python("""
        import sys, os
        from pydicom import dcmread
        from pydicom.fileset import FileSet
        fs = FileSet()
        for n in sorted(os.listdir(sys.argv[1])): fs.add(dcmread(os.path.join(sys.argv[1], n)))
        fs.write(sys.argv[2])
        """, [root + "/pysrc", py])
        out.append(("pydicom FileSet", py))
        // Planted errors on copies of the dcmmkdir set: a hex "UID", a 20-character SH, two
        // values in a VM 1 key, a record without Record In-use Flag.
        let plants: [(String, String)] = [
            ("hex Study Instance UID", "r = [x for x in d.DirectoryRecordSequence if x.DirectoryRecordType == 'STUDY'][0]; r.StudyInstanceUID = '1.2.3.4a'"),
            ("long Study ID", "r = [x for x in d.DirectoryRecordSequence if x.DirectoryRecordType == 'STUDY'][0]; r.StudyID = 'S' * 20"),
            ("two Accession Numbers", "r = [x for x in d.DirectoryRecordSequence if x.DirectoryRecordType == 'STUDY'][0]; r.AccessionNumber = ['PR', 'US']"),
            ("no Record In-use Flag", "r = d.DirectoryRecordSequence[0]; del r.RecordInUseFlag"),
        ]
        for (i, (name, edit)) in plants.enumerated() {
            let dir = root + "/plant\(i)"
            try FileManager.default.copyItem(atPath: out[0].1, toPath: dir)
            let r = try External.python("""
            import sys
            from pydicom import dcmread
            d = dcmread(sys.argv[1])
            \(edit)
            d.save_as(sys.argv[1], enforce_file_format=True)
            """, [dir + "/DICOMDIR"])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            out.append((name, dir))
        }
        return out
    }

    @Test(.enabled(if: External.has("dciodvfy", "dcmmkdir", "gdcmgendir") && External.hasPydicom, "needs dciodvfy, dcmmkdir, gdcmgendir, pydicom"))
    func verifyFindsWhatDciodvfyFinds() throws {
        for (name, path) in try sets() {
            let theirs = try dciodvfyErrors(path + "/DICOMDIR")
            let ours = try verifyErrors(path)
            // A planted error that neither tool saw would make the comparison vacuous.
            if path.contains("/plant") { #expect(theirs.any && ours.count > 0, "\(name): planted, yet dciodvfy \(theirs.any) and verify \(ours.count)") }
            if !theirs.any {
                #expect(ours.count == 0, "\(name): dciodvfy finds no error, verify does: \(ours.text)")
            } else {
                #expect(ours.count > 0, "\(name): dciodvfy finds errors on \(theirs.tags.sorted()), verify none")
                let missed = theirs.tags.subtracting(ours.tags)
                #expect(missed.isEmpty, "\(name): dciodvfy finds errors on \(missed.sorted()) that verify does not: \(ours.text)")
            }
        }
    }
}
