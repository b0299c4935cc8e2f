import DICOM
import FileSet
import Foundation
import Media
import Samples
import Testing
import TestSupport

@Suite(.tags(.stress)) struct BurnAndGrowTests {
    @Test func burnAFileSetAndAnImageToStdioDrives() throws {
        let s = try sampleFileSet()
        let target = s.dir + "/burned.iso"
        let r = try Burner.burn(fileSet: try MasterPlan.make(fileSet: s.fileSet), to: "stdio:" + target,
                                settings: ImageSettings(), options: Burner.Options())
        #expect(r.verified && r.findings.isEmpty)
        #expect(try ISOVerifier.verify(target).errors == 0)

        // A finished image, burned as a track: the bytes land unchanged.
        let image = s.dir + "/made.iso"
        _ = try master(s.fileSet, to: image)
        let copy = s.dir + "/copy.iso"
        _ = try Burner.burn(image: image, to: "stdio:" + copy, options: Burner.Options())
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)).prefix(try Data(contentsOf: URL(fileURLWithPath: image)).count)
                == (try Data(contentsOf: URL(fileURLWithPath: image))))

        // Not blank: refused; erased with blankFirst.
        #expect(throws: MediaError.self) { _ = try Burner.burn(image: image, to: "stdio:" + copy, options: Burner.Options()) }
        var erase = Burner.Options()
        erase.blankFirst = true
        _ = try Burner.burn(image: image, to: "stdio:" + copy, options: erase)

        // The drive list describes a pseudo-drive.
        let drives = try Burner.drives(extra: ["stdio:" + copy, "stdio:" + s.dir + "/new.iso"])
        #expect(drives.map(\.status) == ["appendable", "blank"])
        #expect(drives[0].profile == "stdio file")
    }

    @Test(.enabled(if: External.has("dciodvfy", "xorriso"), "needs dciodvfy, xorriso")) func aSecondSessionAddsInstancesAndKeepsTheOldFiles() throws {
        let s = try sampleFileSet()
        let image = s.dir + "/grow.iso"
        _ = try master(s.fileSet, to: image)
        let before = try ISOImage.open(image)
        let oldBlocks = Dictionary(uniqueKeysWithValues: before.rawEntries.filter { !$0.isDirectory && $0.path != "DICOMDIR" }.map { ($0.path, $0.block) })
        let uidBefore = try DICOMDIRReader.read(storage: try ISOStorage(before)).dicomdir.fileSetUID

        // Two new instances: samples with new SOP Instance UIDs.
        let extra = s.dir + "/extra"
        try FileManager.default.createDirectory(atPath: extra, withIntermediateDirectories: true)
        for (i, sample) in try SampleFactory.all().prefix(2).enumerated() {
            var ds = try DICOMFile.read(bytes: sample.bytes).dataSet
            let uid = UIDGenerator.make()
            ds.set(.sopInstanceUID, .UI, uid)
            let bytes = try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: uid)
            try Data(bytes).write(to: URL(fileURLWithPath: extra + "/new\(i).dcm"))
        }
        let result = try SessionGrower.add(media: image, inputs: [extra], options: UpdateOptions(), settings: ImageSettings())
        #expect(result.update.added.count == 2)
        #expect(result.findings.isEmpty, "\(result.findings)")

        let after = try ISOImage.open(image)
        let storage = try ISOStorage(after)
        let read = try DICOMDIRReader.read(storage: storage)
        #expect(read.dicomdir.fileSetUID == uidBefore)
        #expect(read.dicomdir.allRecords.filter { $0.reference != nil }.count == 8)
        for (path, block) in oldBlocks { #expect(storage.entry(path)?.block == block, "\(path) moved") }
        do {
            let toc = try External.run("xorriso", ["-indev", image, "-toc"])
            #expect(toc.stderr.components(separatedBy: "ISO session  :").count - 1 == 2 || String(decoding: toc.stdout, as: UTF8.self).components(separatedBy: "ISO session  :").count - 1 == 2)
            let md5 = try External.run("xorriso", ["-md5", "on", "-indev", image, "-check_md5_r", "FAILURE", "/", "--"])
            #expect(md5.status == 0, Comment(rawValue: md5.stderr))
        }
        do {
            let out = s.dir + "/DICOMDIR.session2"
            try Data(try readAll(storage, "DICOMDIR")).write(to: URL(fileURLWithPath: out))
            let r = try External.run("dciodvfy", [out])
            #expect(!r.stderr.contains("Error"), Comment(rawValue: r.stderr))
        }
    }

    private func readAll(_ storage: ISOStorage, _ path: String) throws -> [UInt8] {
        let source = try storage.open(path)
        var bytes = [UInt8](repeating: 0, count: source.size)
        _ = try bytes.withUnsafeMutableBytes { try source.read(into: $0, at: 0) }
        return bytes
    }
}
