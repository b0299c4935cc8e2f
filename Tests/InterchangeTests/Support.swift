import FileSet
import Foundation
import Samples
import TestSupport

/// A file-set of the samples (with a README.TXT beside it) made by our creator.
func sampleFileSet() throws -> (fileSet: String, dir: String) {
    let dir = try External.tempDirectory().path
    let source = dir + "/src"
    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    for s in try SampleFactory.all() { try Data(s.bytes).write(to: URL(fileURLWithPath: source + "/" + s.fileName)) }
    var options = CreateOptions()
    options.fileSetID = "MAIL"
    _ = try FileSetCreator.create(source: source, output: dir + "/fs", options: options)
    try Data("A readme.\r\n".utf8).write(to: URL(fileURLWithPath: dir + "/fs/README.TXT"))
    return (dir + "/fs", dir)
}

/// Every file under a folder with its bytes, by relative path.
func tree(_ root: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for p in try FileManager.default.subpathsOfDirectory(atPath: root) {
        var d: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &d), !d.boolValue {
            out[p] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + p))
        }
    }
    return out
}
