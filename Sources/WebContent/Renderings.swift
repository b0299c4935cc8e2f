import DICOM
import FileSet
import Foundation
import Imaging

/// The renderings under IHE_PDI/: `IHE_PDI/R0000001/I0000001.JPG` for single frames,
/// `IHE_PDI/R0000001/I0000001/F0000001.JPG` for each frame of a multi-frame instance, at
/// native resolution up to `imageSize` on the longer side. JPEG (quality `jpegQuality`) for
/// photographs of anatomy; PNG, lossless, for small images (≤ 256 px) and for those that
/// carry burned-in text (US, SC, or Burned In Annotation YES), which JPEG smears. Made on all
/// cores; an instance that cannot be rendered is named in a warning and left out.
enum Renderings {
    struct Outcome {
        var messages: [String] = []
        /// The renderings of each instance (paths in the file-set, one per frame rendered)
        /// and its frame count, keyed by "R0000001/I0000001".
        var frames: [String: Rendered] = [:]
    }

    static func path(series: String, instance: String, frame: Int, frames: Int, png: Bool = false) -> String {
        let ext = png ? "PNG" : "JPG"
        return frames == 1 ? "IHE_PDI/\(series)/\(instance).\(ext)" : "IHE_PDI/\(series)/\(instance)/F\(pad(frame + 1)).\(ext)"
    }

    /// Whether an image is kept lossless on the pages: small, or with text in its pixels.
    static func wantsPNG(_ ds: DataSet, width: Int, height: Int) -> Bool {
        if max(width, height) <= 256 { return true }
        if ds.string(.burnedInAnnotation)?.uppercased() == "YES" { return true }
        return ["US", "SC", "OT", "XC"].contains(ds.string(.modality)?.uppercased() ?? "")
    }

    static func write(_ model: ContentModel, into out: inout Output, options: WebContentWriter.Options,
                      progress: (@Sendable (String, Int, Int) -> Void)?) throws -> Outcome {
        struct Job: Sendable { var series: String; var instance: ContentModel.Instance }
        var list: [Job] = []
        for p in model.patients { for s in p.studies { for r in s.series { for i in r.instances where i.isImage { list.append(Job(series: r.name, instance: i)) } } } }
        let jobs = list
        let scratch = out.scratch
        let results = parallelMap(jobs.count) { k -> (rendered: Rendered, note: String?) in
            let job = jobs[k]
            var paths: [String] = [], note: String?, total = 0
            var rendered = Rendered(paths: [], total: 0)
            if k % 16 == 0 { progress?("rendering", k, jobs.count) }
            do {
                let file = try DICOMFile.read(path: job.instance.source)
                let frames = max(1, file.dataSet.int(.numberOfFrames) ?? 1)
                total = frames
                let count = min(frames, options.maxFrames)
                if count < frames { note = "\(job.instance.fileID.path): \(frames) frames, the first \(count) rendered for the web pages" }
                let access = try PixelDataAccess(file)
                let pipeline = DisplayPipeline(file.dataSet)
                if let c = file.dataSet.double(.windowCenter), let w = file.dataSet.double(.windowWidth), w > 0 { rendered.window = (c, w) }
                rendered.invert = file.dataSet.string(.photometricInterpretation)?.hasPrefix("MONOCHROME1") ?? false
                for f in 0..<count {
                    let frame = try access.frame(f)
                    let rendering = try pipeline.render(frame)
                    let image = rendering.fitted(longSide: options.imageSize)
                    if f == 0 {
                        rendered.size = (image.width, image.height)
                        rendered.geometry = ViewerGeometry(file.dataSet, width: frame.width, height: frame.height)
                    }
                    if options.viewer && options.viewerValues {
                        let v = try ViewerFrame.make(frame, pipeline, rendered: rendering, limit: options.imageSize)
                        let file = scratch + "/.viewer/\(job.series)-\(job.instance.name)-\(f)"
                        try FileManager.default.createDirectory(atPath: scratch + "/.viewer", withIntermediateDirectories: true)
                        guard FileManager.default.createFile(atPath: file, contents: Data(v.bytes)) else { throw WebContentError("cannot write \(file)") }
                        rendered.viewer.append(ViewerFrame(file: file, rgb: v.rgb, width: v.width, height: v.height))
                    }
                    let png = wantsPNG(file.dataSet, width: image.width, height: image.height)
                    let p = path(series: job.series, instance: job.instance.name, frame: f, frames: frames, png: png)
                    let full = scratch + "/" + p
                    try FileManager.default.createDirectory(atPath: String(full[..<(full.lastIndex(of: "/") ?? full.endIndex)]), withIntermediateDirectories: true)
                    guard FileManager.default.createFile(atPath: full, contents: Data(try png ? image.png() : image.jpeg(quality: options.jpegQuality))) else {
                        throw WebContentError("cannot write \(full)")
                    }
                    paths.append(p)
                }
            } catch {
                note = "\(job.instance.fileID.path): not rendered for the web pages (\(userText(error)))"
                for p in paths { unlink(scratch + "/" + p) }
                paths = []
                rendered.viewer = []
            }
            rendered.paths = paths
            rendered.total = total
            return (rendered, note)
        }
        var outcome = Outcome()
        for (k, r) in results.enumerated() {
            if let note = r.note { outcome.messages.append(note) }
            for p in r.rendered.paths { out.files.append((p, out.scratch + "/" + p)) }
            if !r.rendered.paths.isEmpty { outcome.frames[jobs[k].series + "/" + jobs[k].instance.name] = r.rendered }
        }
        return outcome
    }
}

struct Rendered {
    var paths: [String]
    var total: Int
    /// With the viewer: each rendered frame's viewer samples, kept in a scratch file, and the
    /// instance's first window and MONOCHROME1 flag.
    var viewer: [ViewerFrame] = []
    var window: (center: Double, width: Double)?
    var invert = false
    /// The first frame's rendering size, and how to measure and orient it.
    var size: (width: Int, height: Int) = (0, 0)
    var geometry: ViewerGeometry?
}

/// One frame as the viewer shows it, reduced to the rendering size: modality values as
/// 32-bit floats (grey) or RGB bytes (colour), in `file`.
struct ViewerFrame {
    var file: String
    var rgb: Bool
    var width: Int
    var height: Int

    /// Decoded once, for both the JPEG and the viewer: samples every `step`-th pixel.
    static func make(_ frame: DecodedFrame, _ pipeline: DisplayPipeline, rendered image: Image8?, limit: Int) throws -> (rgb: Bool, width: Int, height: Int, bytes: [UInt8]) {
        let step = max(1, (max(frame.width, frame.height) + limit - 1) / limit)
        let w = frame.width / step, h = frame.height / step
        if frame.samplesPerPixel == 3 || frame.photometric == "PALETTE COLOR" {
            let image = try image ?? pipeline.render(frame)
            var bytes = [UInt8](repeating: 0, count: w * h * 3)
            for y in 0..<h { for x in 0..<w { for c in 0..<3 { bytes[(y * w + x) * 3 + c] = image.pixels[((y * step) * frame.width + x * step) * 3 + c] } } }
            return (true, w, h, bytes)
        }
        let values = pipeline.modality(frame.samples)
        var floats = [Float](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w { floats[y * w + x] = Float(values[(y * step) * frame.width + x * step]) } }
        return (false, w, h, floats.withUnsafeBytes { Array($0) })   // little endian on every platform we build for
    }
}
