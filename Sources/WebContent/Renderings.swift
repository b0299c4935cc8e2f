import DICOM
import FileSet
import Foundation
import Imaging

/// The JPEG renderings under IHE_PDI/: `IHE_PDI/R0000001/I0000001.JPG` for single frames,
/// `IHE_PDI/R0000001/I0000001/F0000001.JPG` for each frame of a multi-frame instance. Made on
/// all cores; an instance that cannot be rendered is named in a warning and left out.
enum Renderings {
    struct Outcome {
        var messages: [String] = []
        /// The renderings of each instance (paths in the file-set, one per frame rendered)
        /// and its frame count, keyed by "R0000001/I0000001".
        var frames: [String: Rendered] = [:]
    }

    static func path(series: String, instance: String, frame: Int, frames: Int) -> String {
        frames == 1 ? "IHE_PDI/\(series)/\(instance).JPG" : "IHE_PDI/\(series)/\(instance)/F\(pad(frame + 1)).JPG"
    }

    static func write(_ model: ContentModel, into out: inout Output, options: WebContentWriter.Options,
                      progress: (@Sendable (String, Int, Int) -> Void)?) throws -> Outcome {
        struct Job: Sendable { var series: String; var instance: ContentModel.Instance }
        var list: [Job] = []
        for p in model.patients { for s in p.studies { for r in s.series { for i in r.instances where i.isImage { list.append(Job(series: r.name, instance: i)) } } } }
        let jobs = list
        let scratch = out.scratch
        let results = parallelMap(jobs.count) { k -> (paths: [String], total: Int, note: String?) in
            let job = jobs[k]
            var paths: [String] = [], note: String?, total = 0
            if k % 16 == 0 { progress?("rendering", k, jobs.count) }
            do {
                let file = try DICOMFile.read(path: job.instance.source)
                let frames = max(1, file.dataSet.int(.numberOfFrames) ?? 1)
                total = frames
                let count = min(frames, options.maxFrames)
                if count < frames { note = "\(job.instance.fileID.path): \(frames) frames, the first \(count) rendered for the web pages" }
                let access = try PixelDataAccess(file)
                let pipeline = DisplayPipeline(file.dataSet)
                for f in 0..<count {
                    let image = try pipeline.render(try access.frame(f)).fitted(longSide: options.imageSize)
                    let p = path(series: job.series, instance: job.instance.name, frame: f, frames: frames)
                    let full = scratch + "/" + p
                    try FileManager.default.createDirectory(atPath: String(full[..<(full.lastIndex(of: "/") ?? full.endIndex)]), withIntermediateDirectories: true)
                    guard FileManager.default.createFile(atPath: full, contents: Data(try image.jpeg(quality: 90))) else {
                        throw WebContentError("cannot write \(full)")
                    }
                    paths.append(p)
                }
            } catch {
                note = "\(job.instance.fileID.path): not rendered for the web pages (\(error))"
                for p in paths { unlink(scratch + "/" + p) }
                paths = []
            }
            return (paths, total, note)
        }
        var outcome = Outcome()
        for (k, r) in results.enumerated() {
            if let note = r.note { outcome.messages.append(note) }
            for p in r.paths { out.files.append((p, out.scratch + "/" + p)) }
            if !r.paths.isEmpty { outcome.frames[jobs[k].series + "/" + jobs[k].instance.name] = Rendered(paths: r.paths, total: r.total) }
        }
        return outcome
    }
}

struct Rendered {
    var paths: [String]
    var total: Int
}
