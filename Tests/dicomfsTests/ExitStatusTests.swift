import DICOM
import Foundation
import Samples
import Testing
import TestSupport

/// The one exit-status rule, command by command: 0 nothing wrong (info only), 1 errors
/// found or a failed operation, 2 unusable input or usage. Each command runs on a clean
/// input and on a faulty one.
@Suite(.tags(.unit)) struct ExitStatusTests {
    @Test func everyCommandFollowsTheRule() throws {
        let (dir, source) = try CLI.sampleSource()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let set = dir + "/SET"
        // A broken copy of the set: one referenced file gone.
        let broken = dir + "/BROKEN"
        try #require(try CLI.run(["create", source, "-o", set]).status == 0)
        try FileManager.default.copyItem(atPath: set, toPath: broken)
        try FileManager.default.removeItem(atPath: broken + "/DICOM/P0000002/S0000001/R0000001/I0000001")
        // A source with one unusable (truncated) file among good ones.
        let messy = dir + "/messy"
        try FileManager.default.copyItem(atPath: source, toPath: messy)
        let ct = try Data(contentsOf: URL(fileURLWithPath: source + "/ct-head-1.dcm"))
        try ct.prefix(ct.count - 300).write(to: URL(fileURLWithPath: messy + "/cut.dcm"))
        try ct.prefix(ct.count - 300).write(to: URL(fileURLWithPath: dir + "/cut.dcm"))
        var fresh = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 5)).dataSet
        let uid = UIDGenerator.make()
        fresh.set(.sopInstanceUID, .UI, uid)
        try Data(try Part10Writer.encode(fresh, sopClassUID: fresh.string(.sopClassUID) ?? "", sopInstanceUID: uid))
            .write(to: URL(fileURLWithPath: dir + "/new.dcm"))
        let none = dir + "/no-such-thing"

        let cases: [(String, [String], Int32)] = [
            ("dump clean", ["dump", source + "/mr-knee.dcm"], 0),
            ("dump truncated", ["dump", dir + "/cut.dcm"], 2),
            ("ls clean", ["ls", set], 0),
            ("ls missing path", ["ls", none], 2),
            ("verify clean", ["verify", set], 0),
            ("verify broken", ["verify", broken], 1),
            ("verify not a set", ["verify", source], 2),
            ("create messy", ["create", messy, "-o", dir + "/OUT1"], 1),
            ("create missing source", ["create", none, "-o", dir + "/OUT2"], 2),
            ("add clean", ["add", set, dir + "/new.dcm"], 0),
            ("add to no set", ["add", none, dir + "/new.dcm"], 2),
            ("remove clean", ["remove", set, "--patient-id", "DCMFS003"], 0),
            ("remove unmatched", ["remove", set, "--patient-id", "NO_SUCH"], 1),
            ("iso clean", ["iso", set, "-o", dir + "/a.iso"], 0),
            ("iso broken", ["iso", broken, "-o", dir + "/b.iso"], 2),
            ("zip clean", ["zip", set, "-o", dir + "/a.zip"], 0),
            ("unzip clean", ["unzip", dir + "/a.zip", "-o", dir + "/UNZ"], 0),
            ("unzip not a zip", ["unzip", source + "/mr-knee.dcm", "-o", dir + "/UNZ2"], 2),
            ("mime export clean", ["mime", "export", set, "-o", dir + "/a.mime"], 0),
            ("mime import clean", ["mime", "import", dir + "/a.mime", "-o", dir + "/MIME"], 0),
            ("mime import not MIME", ["mime", "import", source + "/mr-knee.dcm", "-o", dir + "/MIME2"], 2),
            ("web clean", ["web", set], 0),
            ("web not a set", ["web", source], 2),
            ("render clean", ["render", source + "/mr-knee.dcm", "-o", dir + "/a.png"], 0),
            ("render not an image", ["render", source + "/sr-report.dcm", "-o", dir + "/b.png"], 2),
            ("usage", ["create"], 2),
        ]
        for (name, args, expected) in cases {
            let r = try CLI.run(args)
            #expect(r.status == expected, "\(name): exit \(r.status), expected \(expected)\n\(r.stderr.prefix(300))")
        }
    }
}
