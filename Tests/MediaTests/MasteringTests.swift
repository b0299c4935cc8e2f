import FileSet
import Foundation
import Media
import Testing
import TestSupport

@Suite(.tags(.interop)) struct MasteringTests {
    @Test(.enabled(if: External.has("isoinfo"), "needs isoinfo")) func cdNamesAreAnnexFAndIsoinfoSeesExactlyThem() throws {
        let s = try sampleFileSet(id: "DEMO_1")
        let image = s.dir + "/disc.iso"
        let result = try master(s.fileSet, to: image)
        #expect(result.volumeID == "DEMO_1")
        let names = try isoinfoNames(image)
        #expect(names.contains("/DICOMDIR.;1"))
        #expect(names.contains("/DICOM/P0000001/S0000001/R0000001/I0000001.;1"))
        // Every file has exactly the PS3.12 Annex F form, every folder a bare name.
        for n in names {
            let last = String(n.split(separator: "/").last ?? "")
            #expect(last.range(of: #"^[A-Z0-9_]{1,8}(\.;1)?$"#, options: .regularExpression) != nil, "\(n)")
        }
        // Same count as the folder: nothing dropped, nothing renamed.
        let folderFiles = try FileManager.default.subpathsOfDirectory(atPath: s.fileSet).filter {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: s.fileSet + "/" + $0, isDirectory: &isDir)
            return !isDir.boolValue
        }
        #expect(names.filter { $0.hasSuffix(";1") }.count == folderFiles.count)
        let d = try External.run("isoinfo", ["-d", "-i", image])
        let info = String(decoding: d.stdout, as: UTF8.self)
        #expect(info.contains("Volume id: DEMO_1"))
        // Rock Ridge names equal the ISO names (Linux shows upper case).
        let rr = try isoinfoNames(image, flag: "-R")
        #expect(rr.contains("/DICOMDIR"))
        #expect(rr.contains("/DICOM/P0000001/S0000001/R0000001/I0000001"))
    }

    @Test(.enabled(if: External.has("isoinfo"), "needs isoinfo")) func dvdNamesAreAnnexPAndJolietMatches() throws {
        let s = try sampleFileSet()
        let image = s.dir + "/dvd.iso"
        _ = try master(s.fileSet, to: image) { $0.media = .dvd; $0.joliet = true }
        let names = try isoinfoNames(image)
        #expect(names.contains("/DICOMDIR;1"))
        #expect(!names.contains { $0.contains(".;1") })
        let joliet = try isoinfoNames(image, flag: "-J")
        #expect(joliet.contains("/DICOMDIR;1") || joliet.contains("/DICOMDIR"))
    }

    @Test func emptyFileSetIDGivesBlankVolumeID() throws {
        let s = try sampleFileSet(id: "")
        let image = s.dir + "/blank.iso"
        _ = try master(s.fileSet, to: image)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: image))
        // Primary Volume Descriptor at block 16 (after any emulated TOC header), Volume Identifier at byte 40.
        let pvd = try #require(bytes.range(of: Data([1] + Array("CD001".utf8))))
        let volumeID = bytes[(pvd.lowerBound + 40)..<(pvd.lowerBound + 72)]
        #expect(volumeID.allSatisfy { $0 == 0x20 })
    }

    @Test(.enabled(if: External.has("xorriso"), "needs xorriso")) func xorrisoChecksTheMD5sAndAFlippedByteFailsBothCheckers() throws {
        let s = try sampleFileSet()
        let image = s.dir + "/md5.iso"
        _ = try master(s.fileSet, to: image)
        let ok = try External.run("xorriso", ["-md5", "on", "-indev", image, "-check_md5_r", "FAILURE", "/", "--"])
        #expect(ok.status == 0, Comment(rawValue: ok.stderr))
        #expect(try ISOVerifier.verify(image).errors == 0)

        // One byte inside one DICOM file's data.
        let storage = try ISOStorage(try ISOImage.open(image))
        let entry = try #require(storage.entry("DICOM/P0000001/S0000001/R0000001/I0000001"))
        try flipByte(image, at: UInt64(try #require(entry.block)) * 2048 + 1000)
        let bad = try External.run("xorriso", ["-md5", "on", "-indev", image, "-check_md5_r", "FAILURE", "/", "--"])
        #expect(bad.status != 0)
        let report = try ISOVerifier.verify(image)
        #expect(report.findings.contains { $0.severity == .error && $0.message.contains("file MD5 does not match") && $0.subject.hasSuffix("I0000001") })
        #expect(report.findings.contains { $0.severity == .error && $0.message.contains("session MD5") })
    }

    @Test func verifyOverTheImageAgreesWithVerifyOverTheFolder() throws {
        let s = try sampleFileSet()
        let image = s.dir + "/same.iso"
        _ = try master(s.fileSet, to: image)
        let folder = try Verifier().verify(path: s.fileSet)
        let disc = try ISOVerifier.verify(image)
        #expect(folder.records == disc.records && folder.referencedFiles == disc.referencedFiles)
        #expect(folder.findings.map(\.message) == disc.findings.filter { $0.subject != "session" }.map(\.message))
        // And a fault shows up the same way: an unreferenced DICOM file.
        try FileManager.default.copyItem(atPath: s.fileSet + "/DICOM/P0000001/S0000001/R0000001/I0000001",
                                         toPath: s.fileSet + "/DICOM/EXTRA")
        _ = try master(s.fileSet, to: image)
        let f2 = try Verifier().verify(path: s.fileSet).findings.filter { $0.severity == .error }
        let d2 = try ISOVerifier.verify(image).findings.filter { $0.severity == .error }
        #expect(f2.count == 1 && f2.map(\.subject) == d2.map(\.subject))
    }

    @Test func namesLibisofsWouldChangeAreRefusedAndNothingIsWritten() throws {
        let s = try sampleFileSet()
        let bad: [(String, String)] = [
            ("DICOM/lower", "lower case"), ("DICOM/TOOLONGNAME", "1–8"), ("DICOM/A-B", "\"-\""),
            ("DICOM/IMG.DCM", "extension"), ("NOTES.HTML", "extension of 4"),
        ]
        for (path, rule) in bad {
            let full = s.fileSet + "/" + path
            // DICOM content (with an extension it must still be refused), or plain text.
            if path.hasSuffix(".HTML") {
                try Data("x".utf8).write(to: URL(fileURLWithPath: full))
            } else {
                try FileManager.default.copyItem(atPath: s.fileSet + "/DICOM/P0000001/S0000001/R0000001/I0000001", toPath: full)
            }
            let image = s.dir + "/bad.iso"
            #expect(throws: MediaError.self) { _ = try master(s.fileSet, to: image) }
            do {
                _ = try MasterPlan.make(fileSet: s.fileSet)
                Issue.record("\(path): accepted")
            } catch { #expect("\(error)".contains(rule), "\(path): \(error)") }
            #expect(!FileManager.default.fileExists(atPath: image))
            try FileManager.default.removeItem(atPath: full)
        }
        // 8.3 non-DICOM content is fine.
        try Data("readme".utf8).write(to: URL(fileURLWithPath: s.fileSet + "/README.TXT"))
        _ = try master(s.fileSet, to: s.dir + "/ok.iso")
    }

    @Test func capacityIsCheckedBeforeWriting() throws {
        let s = try sampleFileSet()
        let image = s.dir + "/big.iso"
        do {
            _ = try master(s.fileSet, to: image) { $0.capacity = 100_000 }
            Issue.record("an image larger than --capacity was written")
        } catch let e as MediaError {
            #expect("\(e)".contains("the capacity you set holds 0.1 MB"), "\(e)")
            #expect("\(e)".contains("sectors"))
        }
        #expect(!FileManager.default.fileExists(atPath: image))
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.dir).filter { $0.hasPrefix(".dicomfs-tmp") }.isEmpty)
    }

    @Test func writeFailureOnDevFullIsAClearError() throws {
        let s = try sampleFileSet()
        do {
            _ = try master(s.fileSet, to: "stdio:/dev/full")
            Issue.record("writing to /dev/full succeeded")
        } catch let e as MediaError {
            #expect("\(e)".contains("failed"), "\(e)")
        }
    }

    @Test func garbageIsNotAnImage() throws {
        let dir = try External.tempDirectory().path
        try Data(repeating: 0x41, count: 100_000).write(to: URL(fileURLWithPath: dir + "/junk.iso"))
        #expect(!ISOImage.isImage(dir + "/junk.iso"))
        #expect(throws: MediaError.self) { _ = try ISOImage.open(dir + "/junk.iso") }
        // A truncated image: the descriptors are there, the tree is not.
        let s = try sampleFileSet()
        _ = try master(s.fileSet, to: dir + "/full.iso")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/full.iso"))
        try bytes.prefix(40_000).write(to: URL(fileURLWithPath: dir + "/cut.iso"))
        #expect(throws: (any Error).self) { _ = try ISOVerifier.verify(dir + "/cut.iso") }
    }
}

@Suite(.tags(.interop)) struct ForeignImageTests {
    @Test(.enabled(if: External.has("isoinfo"), "needs isoinfo")) func recordingDatesAreTheFileTimes() throws {
        let s = try sampleFileSet()
        let old = Date(timeIntervalSince1970: 978_307_200 + 86_400 * 40)   // 2001-02-10
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: s.fileSet + "/DICOMDIR")
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: s.fileSet + "/DICOM")
        let image = s.dir + "/dates.iso"
        _ = try master(s.fileSet, to: image)
        let listing = String(decoding: try External.run("isoinfo", ["-l", "-i", image]).stdout, as: UTF8.self)
        let line = try #require(listing.split(separator: "\n").first { $0.hasSuffix("DICOMDIR.;1 ") || $0.hasSuffix("DICOMDIR.;1") })
        #expect(line.contains("2001"), "\(line)")
        let dir = try #require(listing.split(separator: "\n").first { $0.hasSuffix(" DICOM ") || $0.hasSuffix(" DICOM") })
        #expect(dir.contains("2001"), "\(dir)")
    }

    /// An image written by another tool at ISO level 3 with names PS3.12 forbids: verify
    /// names each offender.
    @Test(.enabled(if: External.has("xorriso"), "needs xorriso")) func verifyReportsNamesThatBreakPS312() throws {
        let s = try sampleFileSet()
        try Data("x".utf8).write(to: URL(fileURLWithPath: s.fileSet + "/NOTES.MARKDOWN"))
        try FileManager.default.createDirectory(atPath: s.fileSet + "/AVERYLONGFOLDER", withIntermediateDirectories: true)
        try Data("y".utf8).write(to: URL(fileURLWithPath: s.fileSet + "/AVERYLONGFOLDER/X"))
        let image = s.dir + "/foreign.iso"
        let r = try External.run("xorriso", ["-outdev", "stdio:" + image, "-map", s.fileSet, "/", "-commit"])
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let report = try ISOVerifier.verify(image)
        let names = report.findings.filter { $0.message.contains("identifier") }
        #expect(names.contains { $0.subject.hasPrefix("NOTES.MARKDOWN") && $0.message.contains("extension of 8") }, "\(names)")
        #expect(names.contains { $0.subject == "AVERYLONGFOLDER" && $0.message.contains("1–8") }, "\(names)")
        // The file-set itself is intact: its referenced files are all found.
        #expect(!report.findings.contains { $0.message.contains("does not exist") })
    }
}
