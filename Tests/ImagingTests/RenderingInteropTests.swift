import DICOM
import Foundation
import Imaging
import Testing
import TestSupport

/// Our 8-bit renderings against DCMTK's (dcm2pnm, dcmj2pnm for JPEG, dcml2pnm for JPEG-LS;
/// JPEG 2000, which DCMTK lacks, first decoded by GDCM's gdcmconv --raw) for every pydicom
/// and pydicom-data test image: same window (the file's first, else min–max), first frame,
/// mean absolute difference per sample at most 2 grey levels.
@Suite(.tags(.interop)) struct RenderingInteropTests {
    /// Deliberate differences, by file name, with the reason.
    static let knownDifferences: [String: String] = [
        "rtdose_expb.dcm": "big endian, 32-bit OW: DCMTK 3.6.7 renders it unlike its little-endian original rtdose.dcm; pydicom reads both to identical values and so do we (checked below)",
        "rtdose_expb_1frame.dcm": "as rtdose_expb.dcm",
    ]

    static func testFiles() throws -> [String]? {
        guard External.requirePydicom() else { return nil }
        let r = try External.python("import json, pydicom.data as d; print(json.dumps(d.get_testdata_files('*')))", [])
        guard r.status == 0 else { Issue.record("listing pydicom test files failed: \(r.stderr)"); return nil }
        return try JSONDecoder().decode([String].self, from: Data(r.stdout.utf8))
    }

    @Test(.enabled(if: External.has("dcm2pnm", "gdcmconv") && External.hasPydicom, "needs DCMTK's dcm2pnm, GDCM's gdcmconv and pydicom"))
    func rendersLikeDCMTK() throws {
        let files = try #require(try Self.testFiles())
        let work = try External.tempDirectory().path
        var compared = 0, problems: [String] = [], report: [String] = [], worst = (0.0, "")
        for path in files.sorted() {
            let name = URL(fileURLWithPath: path).lastPathComponent
            guard let file = try? DICOMFile.read(path: path), file.dataSet[.pixelData] != nil,
                  (try? PixelDescription(file.dataSet)) != nil else { continue }
            let ts = file.transferSyntax.uid
            let hasWindow = !(file.dataSet.doubles(.windowCenter) ?? []).isEmpty
            var options = Renderer.Options()
            options.window = hasWindow ? .fromFile(index: 0) : .minMax
            let ours: Image8
            do { ours = try Renderer.render(file, frame: 0, options: options) } catch {
                report.append("\(name): not rendered by us: \(error)")
                continue
            }
            // The reference, through DCMTK.
            var input = path
            var tool = "dcm2pnm"
            if ts.hasPrefix("1.2.840.10008.1.2.4.5") || ts.hasPrefix("1.2.840.10008.1.2.4.7") { tool = "dcmj2pnm" }
            if ts.hasPrefix("1.2.840.10008.1.2.4.8") { tool = "dcml2pnm" }
            if ts.hasPrefix("1.2.840.10008.1.2.4.9") || ts.hasPrefix("1.2.840.10008.1.2.4.20") {
                input = work + "/" + name + ".raw.dcm"
                guard try External.run("gdcmconv", ["--raw", path, input]).status == 0 else { report.append("\(name): gdcmconv failed"); continue }
            }
            let pnm = work + "/" + name + ".pnm"
            let r = try External.run(tool, [hasWindow ? "+Wi" : "+Wm"] + (hasWindow ? ["1"] : []) + ["+F", "1", input, pnm])
            guard r.status == 0, let reference = try? PNM(path: pnm) else {
                report.append("\(name): \(tool) could not render it: \(r.stderr.split(separator: "\n").first ?? "")")
                continue
            }
            guard reference.width == ours.width, reference.height == ours.height, reference.channels == ours.channels else {
                problems.append("\(name): DCMTK \(reference.width)×\(reference.height)×\(reference.channels), ours \(ours.width)×\(ours.height)×\(ours.channels)")
                continue
            }
            var sum = 0
            for i in ours.pixels.indices { sum += abs(Int(ours.pixels[i]) - Int(reference.pixels[i])) }
            let mean = Double(sum) / Double(max(1, ours.pixels.count))
            compared += 1
            if mean > worst.0 && Self.knownDifferences[name] == nil { worst = (mean, name) }
            if mean > 2 {
                if let why = Self.knownDifferences[name] { report.append("\(name): \(mean) (known: \(why))") } else {
                    problems.append("\(name) (\(ts)): mean absolute difference \(String(format: "%.2f", mean))")
                }
            }
        }
        // Where DCMTK is not the reference: the big-endian copy renders like its original.
        if let le = files.first(where: { $0.hasSuffix("/rtdose.dcm") }), let be = files.first(where: { $0.hasSuffix("/rtdose_expb.dcm") }) {
            var o = Renderer.Options()
            o.window = .minMax
            #expect(try Renderer.render(DICOMFile.read(path: le), options: o) == Renderer.render(DICOMFile.read(path: be), options: o))
        }
        print("rendering comparison: \(compared) images compared, largest mean difference \(String(format: "%.2f", worst.0)) (\(worst.1)); notes:\n  " + report.joined(separator: "\n  "))
        #expect(compared >= 60, "only \(compared) images compared")
        #expect(problems.isEmpty, Comment(rawValue: problems.joined(separator: "\n")))
    }
}

/// A binary PGM (P5) or PPM (P6) with 8-bit samples.
struct PNM {
    var width = 0, height = 0, channels = 0
    var pixels: [UInt8] = []

    init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var fields: [String] = [], i = 0, current = ""
        while fields.count < 4 && i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "#") { while i < bytes.count && bytes[i] != 10 { i += 1 } }
            else if c == 32 || c == 10 || c == 13 || c == 9 { if !current.isEmpty { fields.append(current); current = "" } }
            else { current.append(Character(Unicode.Scalar(c))) }
            i += 1
        }
        guard fields.count == 4, let w = Int(fields[1]), let h = Int(fields[2]), fields[3] == "255" else {
            throw ImagingError("not an 8-bit PNM: \(fields)")
        }
        width = w; height = h; channels = fields[0] == "P6" ? 3 : 1
        pixels = Array(bytes[i...].prefix(w * h * channels))
        guard pixels.count == w * h * channels else { throw ImagingError("short PNM") }
    }
}
