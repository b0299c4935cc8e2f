@testable import FileSet
import DICOM
import Foundation
import Testing
import TestSupport

/// The scan's fast path (`RawHeader`) must give exactly what the general reader gives: for
/// every file it accepts, the general header-only read has no warning and the same elements,
/// and the scanned instance (keys, blobs, UIDs, leaf record keys) is the same either way.
@Suite(.tags(.interop)) struct RawHeaderScanTests {
    /// pydicom's and pydicom-data's test files: every odd form the fast path must pass on.
    static func pydicomFiles() throws -> [String] {
        guard External.requirePydicom() else { return [] }
        let script = """
        import os, pydicom, data_store
        for d in (os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files"), os.path.join(os.path.dirname(data_store.__file__), "data")):
            for root, _, names in os.walk(d):
                for n in names:
                    if not n.endswith((".py", ".pyc", ".json", ".txt", ".gz", ".bz2")):
                        print(os.path.join(root, n))
        """
        let r = try External.python(script, [])
        return r.stdout.split(separator: "\n").map(String.init)
    }

    static func same(_ a: ScannedInstance, _ b: ScannedInstance) -> [String] {
        var diffs: [String] = []
        func check<T: Equatable>(_ what: String, _ x: T, _ y: T) { if x != y { diffs.append("\(what): \(x) vs \(y)") } }
        check("path", a.relativePath, b.relativePath)
        check("size", a.size, b.size)
        check("SOP class", a.sopClassUID, b.sopClassUID)
        check("SOP instance", a.sopInstanceUID, b.sopInstanceUID)
        check("transfer syntax", a.transferSyntaxUID, b.transferSyntaxUID)
        check("header", a.header, b.header)
        check("warnings", a.warnings, b.warnings)
        check("patient ID", a.patientID, b.patientID)
        check("study", a.studyUID, b.studyUID)
        check("series", a.seriesUID, b.seriesUID)
        check("leaf type", a.leafType, b.leafType)
        check("instance number", a.instanceNumber, b.instanceNumber)
        check("related class", a.relatedGeneralSOPClassUID, b.relatedGeneralSOPClassUID)
        check("invalid UID", a.invalidUID, b.invalidUID)
        check("leaf record", a.leaf, b.leaf)
        check("patient blob", a.levelBlobs.patient, b.levelBlobs.patient)
        check("study blob", a.levelBlobs.study, b.levelBlobs.study)
        check("series blob", a.levelBlobs.series, b.levelBlobs.series)
        return diffs
    }

    @Test(.enabled(if: External.hasPydicom, "needs pydicom's test files")) func fastPathEqualsTheGeneralReader() throws {
        var files: [(root: String, relative: String)] = []
        for dir in [try Folders.samples(), try Folders.corpus()] {
            files += Folders.files(dir).map { (dir, $0) }
        }
        files += try Self.pydicomFiles().map { (directoryName($0), lastComponent($0)) }
        let profile = ApplicationProfile.named("STD-GEN-MIME")!
        let levels = InstanceScanner.LevelTags(profile: profile)
        let options = InstanceScanner.readOptions(for: profile)
        let keyMaker = RecordKeyMaker(profile: profile, invent: false)
        var fast = 0, problems: [String] = []
        for (root, relative) in files {
            let path = root + "/" + relative
            guard let raw = RawHeader.read(path: path),
                  InstanceScanner.fromRawHeader(raw, relative: relative, levels: levels, keyMaker: keyMaker) != nil else { continue }
            // With the scan's options, the general reader tolerates nothing in a file the fast
            // path accepts, and finds the same elements.
            let general: DICOMFile
            do {
                general = try DICOMFile.read(path: path, options: options)
            } catch {
                problems.append("\(relative): accepted, but the reader fails: \(error)")
                continue
            }
            if !general.warnings.isEmpty { problems.append("\(relative): accepted, but the reader warns: \(general.warnings)") }
            for e in general.dataSet.elements where e.vr != .SQ && raw.element(e.tag).map(raw.dataElement) != e {
                problems.append("\(relative): element \(e.tag) differs")
            }
            fast += 1
            let a = InstanceScanner.scanOne(root: root, relative: relative, levels: levels, options: options, keyMaker: keyMaker)
            let b = InstanceScanner.scanOne(root: root, relative: relative, levels: levels, options: options, keyMaker: keyMaker,
                                            rawHeaders: false)
            // Both paths may leave a file out (ReferencedFileRules); then for the same reason.
            if case .unusable(_, let r) = a, case .unusable(_, let q) = b, r == q { continue }
            guard case .instance(let x) = a, case .instance(let y) = b else {
                problems.append("\(relative): \(a) vs \(b)")
                continue
            }
            problems += Self.same(x, y).map { "\(relative): \($0)" }
        }
        #expect(problems.isEmpty, Comment(rawValue: problems.prefix(20).joined(separator: "\n")))
        #expect(fast > 100, "the fast path took \(fast) of \(files.count) files")
    }

    /// Verify's fast path reads files whole: a file it accepts reads without error or warning
    /// with the verifier's options, and every element the checks keep is the same.
    @Test(.enabled(if: External.hasPydicom, "needs pydicom's test files")) func wholeFileFastPathEqualsTheGeneralReader() throws {
        var files: [String] = []
        for dir in [try Folders.samples(), try Folders.corpus()] { files += Folders.files(dir).map { dir + "/" + $0 } }
        files += try Self.pydicomFiles()
        var fast = 0, problems: [String] = []
        for path in files {
            guard let raw = RawHeader.read(path: path, stopBefore: Tag(0xFFFF, 0xFFFF)) else { continue }
            fast += 1
            do {
                let general = try DICOMFile.read(path: path, options: Verifier.fileCheckOptions)
                if !general.warnings.isEmpty { problems.append("\(path): accepted, but the reader warns: \(general.warnings)") }
                for e in general.dataSet.elements where e.bytes != nil && raw.element(e.tag).map(raw.dataElement) != e {
                    problems.append("\(path): element \(e.tag) differs")
                }
                if let pixels = general.dataSet[.pixelData], raw.element(.pixelData)?.length != pixels.valueLength {
                    problems.append("\(path): Pixel Data length differs")
                }
            } catch {
                problems.append("\(path): accepted, but the reader fails: \(error)")
            }
        }
        #expect(problems.isEmpty, Comment(rawValue: problems.prefix(20).joined(separator: "\n")))
        #expect(fast > 100, "the fast path took \(fast) of \(files.count) files")
    }
}

/// A slow disk (a cold cache) makes the scan read with more threads than processors: the same
/// results, in the same order, as the processor-sized scan.
@Suite(.tags(.unit)) struct DeepScanTests {
    @Test func theDeepScanFindsWhatTheUsualOneFinds() throws {
        let dir = try Folders.corpus(naming: .messy, patients: 4, studies: 3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try DirectoryWalker(root: dir).files
        #expect(files.count > 64)
        func scan(slowRate: Double) -> [String] {
            var scanner = InstanceScanner(workers: 2)
            scanner.slowRate = slowRate
            var seen: [String] = []
            scanner.scan(root: dir, files: files, batchSize: 16) { batch in
                for r in batch {
                    switch r {
                    case .instance(let i): seen.append("I " + i.relativePath + " " + i.sopInstanceUID)
                    case .notDICOM(let p, _): seen.append("N " + p)
                    case .unusable(let p, _): seen.append("U " + p)
                    }
                }
            }
            return seen
        }
        let usual = scan(slowRate: 0), deep = scan(slowRate: .infinity)   // never / always deep after the first batch
        #expect(usual.count == files.count && deep == usual)
    }
}
