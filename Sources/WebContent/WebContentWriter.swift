import DICOM
import FileSet
import Foundation
import Imaging

/// IHE PDI web content and the offline viewer for a file-set: root INDEX.HTM and README.TXT,
/// IHE_PDI/ with XHTML pages per patient, study and series and JPEG renderings of every
/// image (every frame up to `maxFrames`), and with `viewer`, VIEWER/ with the viewer and its
/// data. All names are 8.3 upper case; nothing here is referenced by the DICOMDIR and none
/// of it lies inside the DICOM folders.
public enum WebContentWriter {
    public struct Options: Sendable {
        public var viewer = false
        /// Frames rendered per multi-frame instance; later frames are left out (and said so).
        /// Every frame of a cine by default: the viewer shows what was rendered.
        public var maxFrames = 10_000
        /// Longer side of the renderings (and the viewer's images) at most: images smaller
        /// are kept at their native size, so CR, DX and MG keep their detail.
        public var imageSize = 2048
        /// JPEG quality of the renderings that are not PNG.
        public var jpegQuality = 90
        /// The viewer shows the renderings themselves (one copy of each picture on the
        /// medium; window and level act on the rendered grey levels). With `viewerValues` it
        /// also carries each grey series' modality values, for window and level in real
        /// units (CT's HU), up to `viewerBudget` bytes in all: a second copy, bigger.
        public var viewerValues = false
        public var viewerBudget = 256 * 1024 * 1024
        public var creator = "dicomfs 0.1.0"
        public init() {}

        /// The settings a file-set's web content was made with, from the line README.TXT
        /// records them in; nil when there is none (made by another tool, or before it).
        public static func recorded(in root: String) -> Options? {
            guard let text = try? String(contentsOfFile: root + "/README.TXT", encoding: .utf8),
                  let line = text.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("Pictures: at most ") }) else { return nil }
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count >= 2, (64...8192).contains(numbers[0]), (10...100).contains(numbers[1]) else { return nil }
            var o = Options()
            o.imageSize = numbers[0]
            o.jpegQuality = numbers[1]
            o.viewerValues = line.contains("modality values")
            return o
        }
    }

    public struct Result: Sendable {
        /// Path in the file-set and the scratch file it was written to.
        public var files: [(path: String, source: String)]
        public var warnings: [String]
    }

    public static func write(_ dir: DICOMDIR, locate: (FileID) -> String?, into scratch: String, options: Options = Options(),
                             progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> Result {
        let model = ContentModel(dir, locate: locate)
        var out = Output(scratch: scratch)
        let warnings = try Renderings.write(model, into: &out, options: options, progress: progress)
        let reports = Reports.write(model, into: &out, renderedFrames: warnings.frames)
        try Pages.write(model, fileSetID: dir.fileSetID, viewer: options.viewer, into: &out, renderedFrames: warnings.frames, reports: reports.links)
        try out.write("README.TXT", Readme.text(model, fileSetID: dir.fileSetID, viewer: options.viewer, creator: options.creator, options: options))
        if options.viewer { try ViewerWriter.write(model, into: &out, options: options, renderedFrames: warnings.frames, reports: reports.links) }
        return Result(files: out.files, warnings: warnings.messages + reports.warnings)
    }
}

extension WebContentWriter {
    /// Adds web content (and with `viewer`, the viewer) to a staged file-set as non-DICOM
    /// files, generated into `scratch` from the staged DICOMDIR and the source files.
    /// `readmeDescriptor` also makes the README the File-set descriptor: a File ID has no
    /// extension (PS3.10 §8.2), so its text goes in again as README.
    public static func add(to staged: inout StagedFileSet, scratch: String, viewer: Bool, readmeDescriptor: Bool = false,
                           imageSize: Int? = nil, jpegQuality: Int? = nil, viewerValues: Bool = false,
                           progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws {
        let dir: DICOMDIR
        do { dir = try DICOMDIRReader.read(bytes: staged.dicomdir).dicomdir } catch {
            throw WebContentError("cannot read the staged DICOMDIR back (\(userText(error)))")
        }
        var sources: [String: String] = [:]
        for c in staged.copies { sources[c.fileID.path] = staged.source + "/" + c.source }
        let root = staged.source
        var options = Options()
        options.viewer = viewer
        if let imageSize { options.imageSize = imageSize }
        if let jpegQuality { options.jpegQuality = jpegQuality }
        options.viewerValues = viewerValues
        let result = try write(dir, locate: { sources[$0.path] ?? root + "/" + $0.path }, into: scratch, options: options, progress: progress)
        staged.extraFiles = result.files
        staged.report.warnings += result.warnings
        var bytes = CreateReport.WebBytes(renderings: 0, pages: 0, viewer: 0)
        var st = stat()
        for f in result.files where stat(f.source, &st) == 0 {
            let n = Int64(st.st_size)
            if f.path.hasPrefix("VIEWER/") { bytes.viewer += n } else if f.path.hasSuffix(".JPG") || f.path.hasSuffix(".PNG") { bytes.renderings += n } else { bytes.pages += n }
        }
        staged.report.webBytes = bytes
        if readmeDescriptor, let id = FileID(components: ["README"]) {
            staged.extraFiles.append((path: "README", source: scratch + "/README.TXT"))
            do { try staged.setDescriptor(id, characterSet: nil) } catch { throw WebContentError("cannot set the descriptor (\(userText(error)))") }
        }
    }
}

/// Where the generated files go: a scratch folder, remembered with their file-set paths.
struct Output {
    let scratch: String
    var files: [(path: String, source: String)] = []
    private var folders: Set<String> = []

    init(scratch: String) { self.scratch = scratch }

    mutating func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }

    mutating func write(_ path: String, _ bytes: [UInt8]) throws {
        let full = scratch + "/" + path
        try makeFolder(for: path)
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
            throw WebContentError("cannot write \(full)")
        }
        files.append((path, full))
    }

    mutating func makeFolder(for path: String) throws {
        let parent = path.split(separator: "/").dropLast().joined(separator: "/")
        guard !parent.isEmpty, !folders.contains(parent) else { return }
        try FileManager.default.createDirectory(atPath: scratch + "/" + parent, withIntermediateDirectories: true)
        folders.insert(parent)
    }
}

public struct WebContentError: DescribedError, Sendable {
    public var description: String
    init(_ d: String) { description = d }
}
