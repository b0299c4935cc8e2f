@testable import FileSet
import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// DICOMDIRs we create, judged by tools we did not write.
@Suite(.tags(.interop)) struct CreateInteropTests {
    static let script = External.repoRoot.appendingPathComponent("Tests/Interop/fileset_reference.py").path

    /// dciodvfy's Error lines for a DICOMDIR (warnings are allowed).
    func dciodvfyErrors(_ dicomdir: String) throws -> [String] {
        let r = try External.run("dciodvfy", [dicomdir])
        return r.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Error") }
    }

    func json(_ args: [String]) throws -> Any {
        let r = try External.run("python3", [Self.script] + args)
        guard r.status == 0 else { throw FileSetError.io("fileset_reference.py \(args): \(r.stderr)") }
        return try JSONSerialization.jsonObject(with: r.stdout)
    }

    /// pydicom's FileSet finds exactly the source's instances, each at a path whose file holds it.
    func checkWithPydicom(_ dicomdir: String, expectedUIDs: Set<String>) throws {
        let result = try #require(try json(["instances", dicomdir]) as? [String: Any])
        let instances = try #require(result["instances"] as? [[String: String]])
        let found = Set(instances.compactMap { $0["uid"] })
        #expect(found.subtracting(expectedUIDs).isEmpty, "listed but not in the source: \(found.subtracting(expectedUIDs).sorted())")
        #expect(expectedUIDs.subtracting(found).isEmpty, "in the source but not listed: \(expectedUIDs.subtracting(found).sorted())")
        #expect(instances.count == expectedUIDs.count)
        for i in instances {
            #expect(i["uid"] == i["file_uid"], "\(i)")
            #expect(FileID(path: i["path"] ?? "") != nil)
        }
    }

    func sourceUIDs(_ dir: String) throws -> Set<String> {
        Set(try Folders.files(dir).compactMap { try? DICOMFile.read(path: dir + "/" + $0, options: .headerOnly).sopInstanceUID })
    }

    @Test(.enabled(if: External.has("dciodvfy") && External.hasPydicom, "needs dciodvfy, pydicom")) func samplesAndMessyCorpus() throws {
        for source in [try Folders.samples(), try Folders.corpus()] {
            let (report, out) = try Folders.create(source)
            let dicomdir = out + "/DICOMDIR"
            let errors = try dciodvfyErrors(dicomdir)
            #expect(errors.isEmpty, Comment(rawValue: errors.joined(separator: "\n")))
            try checkWithPydicom(dicomdir, expectedUIDs: try sourceUIDs(source))
            if source.contains("corpus") || report.records["KEY OBJECT DOC"] != nil {
                #expect(report.records["SR DOCUMENT"] == 6 && report.records["KEY OBJECT DOC"] == 6)
                #expect(report.records["PRESENTATION"] == 6 && report.records["ENCAP DOC"] == 6)
            }
            // DCMTK parses it without complaint.
            let dump = try External.run("dcmdump", [dicomdir])
            #expect(dump.status == 0)
            #expect(!dump.stderr.contains("E:"))
        }
    }

    @Test(.enabled(if: External.has("dciodvfy") && External.hasPydicom, "needs dciodvfy, pydicom")) func pydicomTestFilesWithTheMIMEProfile() throws {
        let source = try Folders.temp()
        let copied = try #require(try json(["admissible", "-", source]) as? [String])
        #expect(copied.count > 140)
        let (report, out) = try Folders.create(source) {
            $0.profile = .named("STD-GEN-MIME")!
            $0.invent = true
        }
        #expect(report.instances == copied.count)
        let errors = try dciodvfyErrors(out + "/DICOMDIR")
        #expect(errors.isEmpty, Comment(rawValue: errors.joined(separator: "\n")))
        try checkWithPydicom(out + "/DICOMDIR", expectedUIDs: try sourceUIDs(source))
    }

    @Test(.enabled(if: External.has("dcdirdmp"), "needs dcdirdmp")) func dcdirdmpShowsTheTree() throws {
        let (_, out) = try Folders.create(try Folders.samples())
        let r = try External.run("dcdirdmp", [out + "/DICOMDIR"])
        let text = String(decoding: r.stdout, as: UTF8.self) + r.stderr
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("PATIENT Doe^Jane DCMFS001"))
        #expect(lines.contains("STUDY CT1 A0001 20240301 101500"))
        #expect(lines.contains("SERIES 99 SR"))
        #expect(lines.contains("SR DOCUMENT"))
        #expect(lines.contains("-> DICOM\\P0000001\\S0000001\\R0000002\\I0000001"))
        #expect(lines.filter { $0.hasPrefix("PATIENT") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("IMAGE") }.count == 5)
    }

    @Test(.enabled(if: External.has("dcmmkdir") && External.hasPydicom, "needs dcmmkdir, pydicom")) func dcmmkdirAppendsToOurDICOMDIR() throws {
        let source = try Folders.corpus(patients: 2, studies: 1)
        let (_, out) = try Folders.create(source)
        try Folders.write(try SampleFactory.mr(), "EXTRA/MR1", in: out)
        let r = try External.run("sh", ["-c", "cd '\(out)' && dcmmkdir +A +id . EXTRA/MR1"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        var expected = try sourceUIDs(source)
        expected.insert(try #require(try DICOMFile.read(path: out + "/EXTRA/MR1").sopInstanceUID))
        try checkWithPydicom(out + "/DICOMDIR", expectedUIDs: expected)
        // And our own reader still judges the updated file-set clean.
        let report = try Verifier().verify(path: out)
        #expect(report.errors == 0, Comment(rawValue: "\(report.findings)"))
        #expect(report.referencedFiles == expected.count)
    }

    /// For the same in-place folder, our record tree equals dcmmkdir's (keys of PS3.3 F.5).
    @Test(.enabled(if: External.has("dcmmkdir") && External.hasPydicom, "needs dcmmkdir, pydicom")) func inPlaceTreeEqualsDcmmkdirs() throws {
        let source = try Folders.corpus(naming: .ids, patients: 2, studies: 2)
        var options = CreateOptions()
        options.inPlace = true
        _ = try FileSetCreator.create(source: source, output: nil, options: options)
        let reference = try Folders.temp() + "/DICOMDIR"
        let r = try External.run("sh", ["-c", "cd '\(source)' && dcmmkdir +r +id . +D '\(reference)' -Pgp"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let ours = try json(["tree", source + "/DICOMDIR"]) as? NSArray
        let theirs = try json(["tree", reference]) as? NSArray
        #expect(ours != nil && ours == theirs, Comment(rawValue: "trees differ"))
    }

    /// Everything users bring at once: every pydicom and pydicom-data test file together with
    /// a generated messy corpus, `--profile STD-GEN-MIME --invent --skip-invalid`. The set is
    /// written (exit status 1 for what was left out); every source file is in it or listed
    /// with a reason; pydicom's FileSet lists exactly the instances of our DICOMDIR; dciodvfy
    /// finds no error but the first-arc one it reports for pydicom-data's "999.…" UIDs (a
    /// warning of ours, PS3.5 §9.1 syntax allows them).
    @Test(.enabled(if: External.has("dciodvfy") && External.hasPydicom, "needs dciodvfy and pydicom"))
    func everythingTogetherWithSkipInvalid() throws {
        let source = try Folders.temp()
        let listed = try External.python("""
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import pydicom_reference
        print(json.dumps(pydicom_reference.test_files()))
        """, [External.repoRoot.appendingPathComponent("Tests/Interop").path])
        let files = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String])
        #expect(files.count > 200)
        for (i, f) in files.enumerated() {
            try FileManager.default.copyItem(atPath: f, toPath: source + String(format: "/%04d_", i) + lastComponent(f))
        }
        try FileManager.default.copyItem(atPath: try Folders.corpus(), toPath: source + "/messy")
        let (report, out) = try Folders.create(source) {
            $0.profile = .named("STD-GEN-MIME")!
            $0.invent = true
            $0.skipInvalid = true
        }
        #expect(report.hasFindings && !report.leftOut.isEmpty && report.instances > 100)
        #expect(report.leftOut.allSatisfy { !$0.reason.isEmpty })
        // Every source file is accounted for: in the set, or listed with why not.
        let accounted = Set(report.leftOut.map(\.path) + report.unusable.map(\.path) + report.nonDICOM.map(\.path) + report.skipped.map(\.path))
        let read = try DICOMDIRReader.read(path: out)
        let inSet = Set(read.dicomdir.allRecords.compactMap { $0.reference?.sopInstanceUID })
        #expect(inSet.count == report.instances)
        var unaccounted: [String] = []
        for f in Folders.files(source) where !accounted.contains(f) {
            guard let uid = try? DICOMFile.read(path: source + "/" + f, options: .headerOnly).sopInstanceUID, inSet.contains(uid) else {
                unaccounted.append(f); continue
            }
        }
        #expect(unaccounted.isEmpty, "neither in the set nor listed: \(unaccounted.prefix(10))")
        let errors = try dciodvfyErrors(out + "/DICOMDIR").filter { !$0.contains("Illegal root for UID") }
        #expect(errors.isEmpty, Comment(rawValue: errors.joined(separator: "\n")))
        try checkWithPydicom(out + "/DICOMDIR", expectedUIDs: inSet)
        #expect(try Verifier().verify(path: out).errors == 0)
    }
}
