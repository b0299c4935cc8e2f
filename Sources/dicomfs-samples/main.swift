// Writes the bundled sample files: `swift run dicomfs-samples samples/`.
import Foundation
import Samples

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "samples"
do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for sample in try SampleFactory.all() {
        let path = directory + "/" + sample.fileName
        try Data(sample.bytes).write(to: URL(fileURLWithPath: path))
        print(path)
    }
} catch {
    FileHandle.standardError.write(Data("dicomfs-samples: \(error)\n".utf8))
    exit(1)
}
