// Writes the bundled samples, or a synthetic corpus for tests and benchmarks:
//   dicomfs-samples samples/
//   dicomfs-samples corpus OUT [--patients N] [--studies N] [--series N] [--images N]
//                              [--rows N] [--cols N] [--names ids|messy] [--no-extras]
import Foundation
import Samples

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("dicomfs-samples: \(message)\n".utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
do {
    if args.first == "corpus" {
        args.removeFirst()
        guard let out = args.first, !out.hasPrefix("--") else { fail("corpus needs an output folder") }
        args.removeFirst()
        var g = CorpusGenerator()
        while let flag = args.first {
            args.removeFirst()
            if flag == "--no-extras" { g.extras = false; continue }
            guard let value = args.first else { fail("\(flag) needs a value") }
            args.removeFirst()
            switch flag {
            case "--patients": g.patients = Int(value) ?? g.patients
            case "--studies": g.studiesPerPatient = Int(value) ?? g.studiesPerPatient
            case "--series": g.seriesPerStudy = Int(value) ?? g.seriesPerStudy
            case "--images": g.imagesPerSeries = Int(value) ?? g.imagesPerSeries
            case "--rows": g.rows = Int(value) ?? g.rows
            case "--cols": g.columns = Int(value) ?? g.columns
            case "--names": g.naming = CorpusGenerator.Naming(rawValue: value) ?? g.naming
            default: fail("unknown option \(flag)")
            }
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let files = try g.write(to: out)
        print("\(files.count) files written to \(out)")
    } else {
        let directory = args.first ?? "samples"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for sample in try SampleFactory.all() {
            let path = directory + "/" + sample.fileName
            try Data(sample.bytes).write(to: URL(fileURLWithPath: path))
            print(path)
        }
    }
} catch {
    fail("\(error)")
}
