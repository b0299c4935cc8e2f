import DICOM
import Foundation
import Testing
import TestSupport

/// Reads every file of pydicom 3.0.2's test data and pydicom-data 1.0.0 and compares with
/// pydicom, an independent reader: same top-level tags, VRs, string values, SOP Instance UID
/// and transfer syntax for every file pydicom accepts; files pydicom rejects we reject or
/// read with a warning.
@Suite(.tags(.interop)) struct PydicomInteropTests {
    struct Reference: Decodable {
        struct Element: Decodable {
            let tag: String
            let vr: String
            let values: [String]?
        }
        let path: String
        let ok: Bool
        let error: String?
        let transfer_syntax: String?
        let sop_instance_uid: String?
        let elements: [Element]?
    }

    /// Deliberate differences, by file name, with the reason.
    static let knownDifferences: [String: String] = [
        "MR_truncated.dcm": "Pixel Data declares 8192 bytes, 8130 remain: we report the truncation with its offset (as dicomfs must); pydicom returns a short value",
        "rtplan_truncated.dcm": "Beam Sequence declares 976 bytes, 711 remain: we report the truncation; pydicom returns the items it found",
        "DICOMDIR-nooffset": "its last directory record item declares 248 bytes, 224 remain in the file: we report the truncation; pydicom returns the partial record",
        "emri_small_jpeg_2k_lossless_too_short.dcm": "encapsulated Pixel Data ends without a sequence delimiter: we report the truncation; pydicom returns the fragments it found",
    ]

    static func references() throws -> [Reference]? {
        guard External.requirePydicom() else { return nil }
        let script = External.repoRoot.appendingPathComponent("Tests/Interop/pydicom_reference.py").path
        let result = try External.run("python3", [script, "--list-test-files"])
        guard result.status == 0 else {
            Issue.record("pydicom_reference.py failed: \(result.stderr)")
            return nil
        }
        return try JSONDecoder().decode([Reference].self, from: result.stdout)
    }

    @Test(.enabled(if: External.hasPydicom, "needs pydicom and pydicom-data")) func everyTestFileReadsLikePydicom() throws {
        let refs = try #require(try Self.references())
        #expect(refs.count > 200, "expected the full pydicom + pydicom-data test set")
        var problems: [String] = []
        var compared = 0, rejectedByBoth = 0, readWithWarning = 0
        for ref in refs {
            let name = URL(fileURLWithPath: ref.path).lastPathComponent
            if Self.knownDifferences[name] != nil { continue }
            let ours: DICOMFile
            do {
                ours = try DICOMFile.read(path: ref.path)
            } catch {
                if ref.ok { problems.append("\(name): pydicom reads it, we fail: \(error)") } else { rejectedByBoth += 1 }
                continue
            }
            guard ref.ok else {
                if ours.warnings.isEmpty {
                    problems.append("\(name): pydicom rejects it (\(ref.error ?? "")), we read it without a warning")
                } else {
                    readWithWarning += 1
                }
                continue
            }
            compared += 1
            problems += compare(name, ours, ref)
        }
        print("pydicom interop: \(compared) files compared, \(rejectedByBoth) rejected by both, \(readWithWarning) rejected by pydicom and read by us with a warning")
        #expect(problems.isEmpty, Comment(rawValue: "\(problems.count) differences:\n" + problems.prefix(60).joined(separator: "\n")))
    }

    func compare(_ name: String, _ ours: DICOMFile, _ ref: Reference) -> [String] {
        var problems: [String] = []
        if let ts = ref.transfer_syntax, !ts.isEmpty, ts != ours.transferSyntax.uid,
           ours.meta.string(.transferSyntaxUID) != ts {
            problems.append("\(name): transfer syntax \(ours.transferSyntax.uid), pydicom \(ts)")
        }
        if let uid = ref.sop_instance_uid, !uid.isEmpty, ours.dataSet.string(.sopInstanceUID) != uid {
            problems.append("\(name): SOP Instance UID \(ours.dataSet.string(.sopInstanceUID) ?? "-"), pydicom \(uid)")
        }
        let theirs = ref.elements ?? []
        let ourTags = ours.dataSet.elements.map { $0.tag.hexString }
        let theirTags = theirs.map(\.tag)
        if ourTags != theirTags {
            let missing = Set(theirTags).subtracting(ourTags).sorted().prefix(5)
            let extra = Set(ourTags).subtracting(theirTags).sorted().prefix(5)
            problems.append("\(name): tags differ; missing \(missing), extra \(extra)")
            return problems
        }
        for (e, r) in zip(ours.dataSet.elements, theirs) {
            if e.vr.rawValue != r.vr && !equivalentVR(e, r.vr) {
                problems.append("\(name): \(e.tag) VR \(e.vr.rawValue), pydicom \(r.vr)")
                continue
            }
            if let values = r.values, e.vr.isString {
                let mine = ours.dataSet.strings(e.tag) ?? []
                if !sameValues(mine, values, vr: e.vr) {
                    problems.append("\(name): \(e.tag) \(e.vr.rawValue) values \(mine.prefix(3)), pydicom \(values.prefix(3))")
                }
            }
        }
        return problems
    }

    /// Standard elements sent as UN are read as their dictionary VR by both (PS3.5 §6.2.2,
    /// pydicom's replace_un_with_known_vr) and must agree; big-endian files keep UN with us.
    /// Private tags read as UN: pydicom applies its private dictionary; we ship none.
    func equivalentVR(_ e: DataElement, _ theirs: String) -> Bool {
        if e.vr == .UN && e.tag.isPrivate { return true }
        return false
    }

    /// pydicom keeps some padding we trim (leading spaces of numbers, trailing NULs).
    func sameValues(_ mine: [String], _ theirs: [String], vr: VR) -> Bool {
        let norm: (String) -> String = { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \0")) }
        // pydicom prints a person name without its trailing empty component groups.
        let pn: (String) -> String = { vr == .PN ? PersonName(parsing: $0).description : $0 }
        let a = mine.map(norm).map(pn), b = theirs.map(norm).map(pn)
        if a == b { return true }
        // An empty value is [] for pydicom and [""] for us.
        return a.filter { !$0.isEmpty }.isEmpty && b.filter { !$0.isEmpty }.isEmpty
    }
}
