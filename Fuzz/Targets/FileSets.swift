import DICOM
import FileSet
import Foundation
import Interchange
import Media

/// A file-set that is only its DICOMDIR, in memory: the reader, the record graph, the key
/// checks and the File ID resolver run over whatever the input's records say.
final class DICOMDIROnly: FileSetStorage, @unchecked Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var location: String { "fuzz" }
    func fileExists(_ path: String) -> Bool { path == "DICOMDIR" }
    func entries(of directory: String) -> [String] { directory.isEmpty ? ["DICOMDIR"] : [] }
    func allFiles() throws -> [String] { ["DICOMDIR"] }
    func open(_ path: String) throws -> ByteSource {
        guard path == "DICOMDIR" else { throw DICOMError(.io, "no such file", file: path) }
        return MemoryByteSource(bytes)
    }
}

func fuzzDICOMDIR(_ bytes: [UInt8]) {
    guard let report = try? Verifier().verify(storage: DICOMDIROnly(bytes)) else { return }
    _ = report.findings.map(\.description)
    if let read = try? DICOMDIRReader.read(storage: DICOMDIROnly(bytes)),
       let encoded = try? DICOMDIRWriter().encode(read.dicomdir) {
        // What the writer makes of any DICOMDIR it read reads back.
        _ = try? DICOMDIRReader.read(DICOMFile.read(bytes: encoded))
    }
}

/// A scratch folder per process for the targets that read files.
let scratch: String = {
    let path = NSTemporaryDirectory() + "dicomfs-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

func withInputFile(_ bytes: [UInt8], name: String, _ body: (String) -> Void) {
    let path = scratch + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    body(path)
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: scratch + "/out")
}

/// An ISO image: our tree check, then libisofs through ISOImage (ls and verify's reader).
func fuzzISO(_ bytes: [UInt8]) {
    withInputFile(bytes, name: "in.iso") { path in
        guard let image = try? ISOImage.open(path) else { return }
        _ = image.rawEntries.count
    }
}

/// A MIME message (whole, or one message/partial fragment), imported as `mime import` does.
func fuzzMIME(_ bytes: [UInt8]) {
    withInputFile(bytes, name: "in.mime") { path in
        _ = try? MIMEImport.importFiles([path], into: scratch + "/out")
    }
}

/// A ZIP archive, imported as `unzip` does.
func fuzzZIP(_ bytes: [UInt8]) {
    withInputFile(bytes, name: "in.zip") { path in
        _ = try? ZipInterchange.importArchive(path, into: scratch + "/out")
    }
}
