import DICOM
import Foundation
import Imaging

/// VIEWER/: the offline viewer (INDEX.HTM, VIEWER.JS, VIEWER.CSS) and its data as classic
/// scripts, which browsers load from file:// where fetch, XHR and modules are refused.
/// Grey series carry their modality values (16-bit integers, or 32-bit floats when needed),
/// reduced to the rendering size, so window and level work on real values; colour series
/// carry RGB. Past the size budget, series are shown from the JPEG renderings instead.
enum ViewerWriter {
    static func write(_ model: ContentModel, into out: inout Output, options: WebContentWriter.Options, renderedFrames: [String: Rendered]) throws {
        try out.write("VIEWER/INDEX.HTM", ViewerAssets.page)
        try out.write("VIEWER/VIEWER.JS", ViewerAssets.script)
        try out.write("VIEWER/VIEWER.CSS", ViewerAssets.style)
        var budget = options.viewerBudget
        var index = "DICOMFS.index({\"patients\":["
        for (pi, p) in model.patients.enumerated() {
            index += (pi > 0 ? "," : "") + "{\"name\":\(HTML.js(p.patientName)),\"id\":\(HTML.js(p.id)),\"birth\":\(HTML.js(p.birthDate)),\"sex\":\(HTML.js(p.sex)),\"studies\":["
            for (si, s) in p.studies.enumerated() {
                index += (si > 0 ? "," : "") + "{\"date\":\(HTML.js(s.date)),\"description\":\(HTML.js(s.description)),\"series\":["
                var first = true
                for r in s.series {
                    let images = r.instances.filter { renderedFrames[r.name + "/" + $0.name] != nil }
                    guard let thumbSource = images.first else { continue }
                    let written = try seriesData(r, images: images, into: &out, options: options, budget: &budget, renderedFrames: renderedFrames)
                    let thumb = "../" + (renderedFrames[r.name + "/" + thumbSource.name]?.paths.first ?? "")
                    index += (first ? "" : ",") + "{\"id\":\"\(r.name)\",\"modality\":\(HTML.js(r.modality)),\"number\":\(HTML.js(r.number)),"
                    index += "\"description\":\(HTML.js(r.description)),\"frames\":\(written),\"thumb\":\(HTML.js(thumb))}"
                    first = false
                }
                index += "]}"
            }
            index += "]}"
        }
        index += "]});\n"
        try out.write("VIEWER/DATA/INDEX.JS", index)
    }

    /// Writes VIEWER/DATA/Rnnnnnnn.JS; returns the number of frames it holds.
    private static func seriesData(_ r: ContentModel.Series, images: [ContentModel.Instance], into out: inout Output,
                                   options: WebContentWriter.Options, budget: inout Int, renderedFrames: [String: Rendered]) throws -> Int {
        var frames: [String] = [], labels: [String] = [], jpegs: [String] = []
        var kind = "values", type = "i16", width = 0, height = 0, window: (Double, Double)?, invert = false
        var overBudget = budget <= 0
        for i in images {
            let rendered = renderedFrames[r.name + "/" + i.name] ?? Rendered(paths: [], total: 0)
            let count = rendered.paths.count
            for (f, path) in rendered.paths.enumerated() {
                jpegs.append("../" + path)
                labels.append(rendered.total > 1 ? "\(i.number) (\(f + 1)/\(rendered.total))" : i.number)
            }
            guard !overBudget, let file = try? DICOMFile.read(path: i.source), let access = try? PixelDataAccess(file) else {
                overBudget = true
                continue
            }
            let pipeline = DisplayPipeline(file.dataSet)
            if window == nil, let c = file.dataSet.double(.windowCenter), let w = file.dataSet.double(.windowWidth), w > 0 { window = (c, w) }
            invert = file.dataSet.string(.photometricInterpretation)?.hasPrefix("MONOCHROME1") ?? false
            for f in 0..<count {
                guard let frame = try? access.frame(f) else { overBudget = true; break }
                let (w, h, step) = reduced(frame.width, frame.height, options.imageSize)
                if width == 0 { width = w; height = h }
                guard w == width, h == height else { overBudget = true; break }
                var bytes: [UInt8]
                if frame.samplesPerPixel == 3 || frame.photometric == "PALETTE COLOR" {
                    kind = "rgb"
                    guard let image = try? pipeline.render(frame) else { overBudget = true; break }
                    bytes = [UInt8](repeating: 0, count: w * h * 3)
                    for y in 0..<h { for x in 0..<w { for c in 0..<3 { bytes[(y * w + x) * 3 + c] = image.pixels[((y * step) * frame.width + x * step) * 3 + c] } } }
                } else {
                    let values = pipeline.modality(frame.samples)
                    var sample = [Double](repeating: 0, count: w * h)
                    for y in 0..<h { for x in 0..<w { sample[y * w + x] = values[(y * step) * frame.width + x * step] } }
                    if type == "i16" && !sample.allSatisfy({ $0 == $0.rounded() && $0 >= -32768 && $0 <= 32767 }) { type = "f32" }
                    bytes = type == "i16"
                        ? sample.flatMap { v -> [UInt8] in let u = UInt16(bitPattern: Int16(v)); return [UInt8(u & 0xFF), UInt8(u >> 8)] }
                        : sample.flatMap { v -> [UInt8] in withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { Array($0) } }
                }
                budget -= bytes.count
                if budget < 0 { overBudget = true; break }
                frames.append(Base64.encode(bytes))
            }
        }
        if overBudget || frames.count != jpegs.count || type == "f32" && frames.contains(where: { $0.count % 4 != 0 }) {
            kind = "jpeg"; frames = []
        }
        var js = "DICOMFS.series(\"\(r.name)\",{\"kind\":\"\(kind)\",\"type\":\"\(type)\",\"width\":\(width),\"height\":\(height),"
        js += "\"invert\":\(invert),\"window\":" + (window.map { "[\($0.0),\($0.1)]" } ?? "null") + ","
        js += "\"labels\":[" + labels.map(HTML.js).joined(separator: ",") + "],"
        js += "\"jpegs\":[" + jpegs.map(HTML.js).joined(separator: ",") + "],"
        js += "\"frames\":[" + frames.map { "\"\($0)\"" }.joined(separator: ",\n") + "]});\n"
        try out.write("VIEWER/DATA/\(r.name).JS", js)
        return jpegs.count
    }

    /// Size after keeping every `step`-th pixel so the longer side is at most `limit`.
    static func reduced(_ w: Int, _ h: Int, _ limit: Int) -> (Int, Int, Int) {
        let step = max(1, (max(w, h) + limit - 1) / limit)
        return (w / step, h / step, step)
    }
}
