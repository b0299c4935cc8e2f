import ArgumentParser
import DICOM
import FileSet
import Imaging

struct Transcode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite DICOM files in another transfer syntax, losslessly.",
        discussion: """
        Each FILE is written to DIR under its own name in --to: Explicit VR Little Endian \
        (1.2.840.10008.1.2.1: compressed pixels decoded), JPEG Lossless SV1 \
        (1.2.840.10008.1.2.4.70, GDCM's IJG build), JPEG-LS Lossless (1.2.840.10008.1.2.4.80, \
        CharLS) or JPEG 2000 Lossless (1.2.840.10008.1.2.4.90, OpenJPEG) — the same code as \
        create --transcode. A compressed file is written only after every frame has been \
        decoded again and found equal, sample for sample, to the source's decoding. The SOP \
        Instance UID stays; the sources are never changed. Exit status 0 when every file was \
        written, 1 when any could not be (each named with why), 2 for unusable arguments.
        """
    )

    @Argument(help: "DICOM files to rewrite.", completion: .file())
    var files: [String]

    @Option(name: .shortAndLong, help: "Folder to write into (created when missing; existing files are not written over).", completion: .directory)
    var output: String

    @Option(help: "Transfer syntax UID to write (default 1.2.840.10008.1.2.1, Explicit VR Little Endian).")
    var to = TransferSyntax.explicitVRLittleEndian.uid

    func validate() throws {
        guard to == Transcoder.target.uid || LosslessSyntax(rawValue: to) != nil else {
            throw ValidationError("--to \(to): one of \(Transcoder.target.uid), " + LosslessSyntax.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        do { try FileOps.makeDirectories(output) } catch let e as FileSetError { throw failure(e) }
        var failed = 0
        for path in files {
            let target = output + "/" + lastComponent(path)
            do {
                guard !FileOps.exists(target) else { throw ImagingError("\(target) exists; not written over") }
                let bytes = try Transcoder.rewrite(try DICOMFile.read(path: path), to: to)
                try FileOps.writeAtomically(bytes, to: target)
                print("\(path) -> \(target)")
            } catch let e as ImagingError {
                failed += 1
                FileHandle.standardError("dicomfs: \(path): \(e)")
            } catch let e as DICOMError {
                failed += 1
                FileHandle.standardError("dicomfs: \(path): \(e)")
            } catch let e as FileSetError {
                failed += 1
                FileHandle.standardError("dicomfs: \(path): \(e)")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
