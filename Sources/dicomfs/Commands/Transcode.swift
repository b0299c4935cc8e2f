import ArgumentParser
import DICOM
import FileSet
import Imaging

struct Transcode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode",
        abstract: "Rewrite DICOM files in another transfer syntax, losslessly unless --allow-lossy.",
        discussion: """
        Each FILE is written to DIR under its own name in --to: Explicit VR Little Endian \
        (1.2.840.10008.1.2.1: compressed pixels decoded), JPEG Lossless SV1 \
        (1.2.840.10008.1.2.4.70, GDCM's IJG build), JPEG-LS Lossless (1.2.840.10008.1.2.4.80, \
        CharLS), JPEG 2000 Lossless (1.2.840.10008.1.2.4.90, OpenJPEG) or RLE Lossless \
        (1.2.840.10008.1.2.5, PS3.5 Annex G) — the same code as \
        create --transcode. A compressed file is written only after every frame has been \
        decoded again and found equal, sample for sample, to the source's decoding. The SOP \
        Instance UID stays; the sources are never changed. With --allow-lossy QUALITY, --to may \
        also be JPEG Baseline (.4.50, libjpeg-turbo), JPEG Extended (.4.51, 12-bit) or JPEG 2000 \
        (.4.91, OpenJPEG's irreversible wavelet): each result is a new instance (PS3.3 \
        C.7.6.1.1.5: DERIVED, a new SOP Instance UID, the original in Source Image Sequence, \
        Lossy Image Compression 01 with ratio and method). Files are rewritten on all cores. \
        Exit status 0 when every file was written, 1 when any could not be (each named with \
        why), 2 for unusable arguments.
        """
    )

    @Argument(help: "DICOM files to rewrite.", completion: .file())
    var files: [String]

    @Option(name: .shortAndLong, help: "Folder to write into (created when missing; existing files are not written over).", completion: .directory)
    var output: String

    @Option(help: "Transfer syntax UID to write (default 1.2.840.10008.1.2.1, Explicit VR Little Endian).")
    var to = TransferSyntax.explicitVRLittleEndian.uid

    @Option(help: "Allow --to a lossy syntax (1.2.840.10008.1.2.4.50, .4.51, .4.91) at this quality, 1–100 (JPEG's quality scale; for JPEG 2000, 90 is a 6:1 ratio, 75 13.5:1).")
    var allowLossy: Int?

    func validate() throws {
        if let q = allowLossy, !(1...100).contains(q) { throw ValidationError("--allow-lossy \(q): a quality from 1 to 100") }
        if LossySyntax(rawValue: to) != nil {
            guard allowLossy != nil else { throw ValidationError("--to \(to) is lossy: give --allow-lossy QUALITY to ask for it") }
            return
        }
        guard to == Transcoder.target.uid || LosslessSyntax(rawValue: to) != nil else {
            throw ValidationError("--to \(to): one of \(Transcoder.target.uid), " + LosslessSyntax.allCases.map(\.rawValue).joined(separator: ", ")
                                  + " (or with --allow-lossy " + LossySyntax.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
    }

    func run() throws {
        do { try FileOps.makeDirectories(output) } catch let e as FileSetError { throw failure(e) }
        let files = files, output = output, to = to, quality = allowLossy
        let results = parallelMap(files.count) { i -> String? in
            let path = files[i]
            let target = output + "/" + lastComponent(path)
            do {
                guard !FileOps.exists(target) else { throw ImagingError("\(target) exists; not written over") }
                let file = try DICOMFile.read(path: path)
                let bytes = try LossySyntax(rawValue: to).map { try Transcoder.rewriteLossy(file, to: $0, quality: quality ?? 90) }
                    ?? Transcoder.rewrite(file, to: to)
                try FileOps.writeAtomically(bytes, to: target)
                return nil
            } catch {
                return userText(error, otherwise: "cannot be rewritten")
            }
        }
        var failed = 0
        for (path, problem) in zip(files, results) {
            if let problem {
                failed += 1
                FileHandle.standardError("dicomfs: \(path): \(problem)")
            } else {
                print("\(path) -> \(output + "/" + lastComponent(path))")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
