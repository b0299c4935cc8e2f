@testable import FileSet
import DICOM
import Foundation
import Samples
import TestSupport

/// Folders for create tests: sources built from the samples or the corpus generator.
enum Folders {
    static func temp() throws -> String { try External.tempDirectory().path }

    static func write(_ bytes: [UInt8], _ relative: String, in dir: String) throws {
        let url = URL(fileURLWithPath: dir).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// The bundled samples under messy names.
    static func samples() throws -> String {
        let dir = try temp()
        for s in try SampleFactory.all() { try write(s.bytes, "Incoming Folder/\(s.fileName)", in: dir) }
        return dir
    }

    static func corpus(naming: CorpusGenerator.Naming = .messy, patients: Int = 3, studies: Int = 2) throws -> String {
        let dir = try temp()
        var g = CorpusGenerator()
        g.naming = naming
        g.patients = patients
        g.studiesPerPatient = studies
        try g.write(to: dir)
        return dir
    }

    static func create(_ source: String, _ configure: (inout CreateOptions) -> Void = { _ in }) throws -> (CreateReport, String) {
        let out = try temp() + "/fileset"
        var options = CreateOptions()
        options.fileSetUID = "1.2.826.0.1.3680043.10.543.1"
        configure(&options)
        return (try FileSetCreator.create(source: source, output: out, options: options), out)
    }

    /// Every file under a folder, relative paths, sorted.
    static func files(_ dir: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: dir)
        var out: [String] = []
        while let p = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }
}
