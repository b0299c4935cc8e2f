import DICOM
import FileSet
import Foundation
import Media
import Samples
import TestSupport

/// A file-set of the bundled samples, made by our creator, in a fresh folder.
func sampleFileSet(id: String = "SAMPLES") throws -> (source: String, fileSet: String, dir: String) {
    let dir = try External.tempDirectory().path
    let source = dir + "/src"
    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    for s in try SampleFactory.all() {
        try Data(s.bytes).write(to: URL(fileURLWithPath: source + "/" + s.fileName))
    }
    var options = CreateOptions()
    options.fileSetID = id
    _ = try FileSetCreator.create(source: source, output: dir + "/fs", options: options)
    return (source, dir + "/fs", dir)
}

func master(_ fileSet: String, to image: String, _ configure: (inout ImageSettings) -> Void = { _ in }) throws -> ISOMaster.Result {
    var settings = ImageSettings()
    configure(&settings)
    return try ISOMaster.master(try MasterPlan.make(fileSet: fileSet), to: image, settings: settings)
}

/// The raw ISO 9660 names `isoinfo -l` shows, as full paths ("/DICOM/P0000001/…/I0000001.;1").
func isoinfoNames(_ image: String, flag: String? = nil) throws -> [String] {
    let r = try External.run("isoinfo", (flag.map { [$0] } ?? []) + ["-l", "-i", image])
    var names: [String] = []
    var directory = "/"
    for line in String(decoding: r.stdout, as: UTF8.self).split(separator: "\n") {
        if line.hasPrefix("Directory listing of ") { directory = String(line.dropFirst("Directory listing of ".count)); continue }
        guard let bracket = line.lastIndex(of: "]") else { continue }
        let name = line[line.index(after: bracket)...].trimmingCharacters(in: .whitespaces)
        if name == "." || name == ".." || name.isEmpty { continue }
        names.append(directory + name)
    }
    return names.sorted()
}

/// Flips one byte of a file at `offset`.
func flipByte(_ path: String, at offset: UInt64) throws {
    let h = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    try h.seek(toOffset: offset)
    let b = try h.read(upToCount: 1) ?? Data([0])
    try h.seek(toOffset: offset)
    try h.write(contentsOf: Data([b[0] ^ 0xFF]))
    try h.close()
}
