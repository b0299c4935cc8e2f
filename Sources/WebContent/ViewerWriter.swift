import DICOM
import Foundation
import Imaging

/// VIEWER/: the offline viewer (INDEX.HTM, VIEWER.JS, VIEWER.CSS) and its data as classic
/// scripts, which browsers load from file:// where fetch, XHR and modules are refused.
/// The viewer shows the IHE PDI renderings themselves — one copy of each picture on the
/// medium — with the spacing of their pixels (scale bar, distances) and the patient
/// directions at their edges. With `viewerValues`, grey series also carry their modality
/// values (16-bit integers, or 32-bit floats when needed) so that window and level work on
/// real values, and colour series RGB, up to the size budget.
enum ViewerWriter {
    static func write(_ model: ContentModel, into out: inout Output, options: WebContentWriter.Options, renderedFrames: [String: Rendered],
                      reports: [String: Reports.Link]) throws {
        try out.write("VIEWER/INDEX.HTM", ViewerAssets.page)
        try out.write("VIEWER/VIEWER.JS", ViewerAssets.script)
        try out.write("VIEWER/VIEWER.CSS", ViewerAssets.style)
        var budget = options.viewerBudget
        var index = "DICOMFS.index({\"patients\":["
        for (pi, p) in model.patients.enumerated() {
            index += (pi > 0 ? "," : "") + "{\"name\":\(HTML.js(p.patientName)),\"id\":\(HTML.js(p.id)),\"birth\":\(HTML.js(p.birthDate)),\"sex\":\(HTML.js(p.sex)),\"studies\":["
            for (si, s) in p.studies.enumerated() {
                // Reports first, opened in the main pane.
                let links = s.series.flatMap { r in r.instances.compactMap { reports[r.name + "/" + $0.name] } }
                let listed = links.map { "{\"title\":\(HTML.js($0.title)),\"href\":\(HTML.js("../" + $0.path)),\"pdf\":\($0.kind == .pdf)}" }
                index += (si > 0 ? "," : "") + "{\"date\":\(HTML.js(s.date)),\"description\":\(HTML.js(s.description)),"
                index += "\"institution\":\(HTML.js(s.institution)),\"referring\":\(HTML.js(s.referring)),"
                index += "\"reports\":[" + listed.joined(separator: ",") + "],\"series\":["
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

    /// Writes VIEWER/DATA/Rnnnnnnn.JS from the frames the renderings decoded; returns the
    /// number of frames it holds. A series whose frames differ in size or kind, or that
    /// would pass the budget, is shown from its JPEGs instead.
    private static func seriesData(_ r: ContentModel.Series, images: [ContentModel.Instance], into out: inout Output,
                                   options: WebContentWriter.Options, budget: inout Int, renderedFrames: [String: Rendered]) throws -> Int {
        var labels: [String] = [], jpegs: [String] = [], viewer: [ViewerFrame] = []
        var window: (center: Double, width: Double)?, invert = false
        var geometry: ViewerGeometry?, pictureSize: (width: Int, height: Int)?
        for i in images {
            guard let rendered = renderedFrames[r.name + "/" + i.name] else { continue }
            for (f, path) in rendered.paths.enumerated() {
                jpegs.append("../" + path)
                labels.append(rendered.total > 1 ? "\(i.number) (\(f + 1)/\(rendered.total))" : i.number)
            }
            viewer += rendered.viewer
            window = window ?? rendered.window
            geometry = geometry ?? rendered.geometry
            pictureSize = pictureSize ?? rendered.size
            invert = rendered.invert
        }
        let first = viewer.first
        var usable = options.viewerValues && first != nil && viewer.count == jpegs.count
            && viewer.allSatisfy { $0.rgb == first?.rgb && $0.width == first?.width && $0.height == first?.height }
        // Grey frames hold 32-bit floats; 16-bit integers suffice when every value is one.
        var blobs: [[UInt8]] = []
        var type = "i16"
        if usable {
            for v in viewer {
                guard let data = FileManager.default.contents(atPath: v.file) else { usable = false; break }
                blobs.append([UInt8](data))
            }
        }
        if usable, first?.rgb == false {
            let floats = blobs.map { b in b.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
            if floats.allSatisfy({ $0.allSatisfy { $0 == $0.rounded() && $0 >= -32768 && $0 <= 32767 } }) {
                blobs = floats.map { f in f.map { Int16($0) }.withUnsafeBytes { Array($0) } }
            } else {
                type = "f32"
            }
        }
        let size = blobs.reduce(0) { $0 + $1.count }
        if usable && size <= budget { budget -= size } else { usable = false }
        let kind = !usable ? "jpeg" : (first?.rgb == true ? "rgb" : "values")
        var width = pictureSize?.width ?? 0, height = pictureSize?.height ?? 0
        if usable, let first { width = first.width; height = first.height }
        var js = "DICOMFS.series(\"\(r.name)\",{\"kind\":\"\(kind)\",\"type\":\"\(type)\",\"width\":\(width),\"height\":\(height),"
        if let g = geometry?.json, !g.isEmpty { js += g + "," }
        js += "\"invert\":\(invert),\"window\":" + (window.map { "[\($0.center),\($0.width)]" } ?? "null") + ","
        js += "\"labels\":[" + labels.map(HTML.js).joined(separator: ",") + "],"
        js += "\"jpegs\":[" + jpegs.map(HTML.js).joined(separator: ",") + "],"
        js += "\"frames\":[" + (usable ? blobs.map { "\"\(Base64.encode($0))\"" }.joined(separator: ",\n") : "") + "]});\n"
        try out.write("VIEWER/DATA/\(r.name).JS", js)
        return jpegs.count
    }
}
