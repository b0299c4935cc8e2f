import ArgumentParser
import DICOM
import Foundation
import Imaging

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a frame of a DICOM image to PNG or JPEG.",
        discussion: """
        Decodes native Pixel Data (1–32 bits, signed or not, MONOCHROME1/2, RGB, YBR_FULL, \
        YBR_FULL_422, PALETTE COLOR, planes, multi-frame) and RLE, JPEG baseline (libjpeg-turbo), \
        12-bit JPEG Extended (GDCM's IJG build), JPEG Lossless (dicomfs's own decoder), JPEG-LS \
        (CharLS) and JPEG 2000 (OpenJPEG), then \
        applies the Modality LUT, the VOI window or LUT (LINEAR, LINEAR_EXACT, SIGMOID) and \
        the Presentation LUT Shape. Without a window in the file, the 0.5–99.5 percentile range \
        is shown.
        """
    )

    @Argument(help: "A DICOM image file.", completion: .file())
    var file: String

    @Option(name: .shortAndLong, help: "Output file; .jpg or .jpeg writes JPEG, anything else PNG.", completion: .file())
    var output: String

    @Option(help: "Frame number, from 1.")
    var frame: Int?

    @Option(help: "Window as CENTER,WIDTH in modality units, e.g. 40,400.")
    var window: String?

    @Flag(help: "Window from the smallest to the largest value.")
    var minMax = false

    @Option(help: "Which of several windows in the file, from 1.")
    var windowIndex: Int = 1

    @Option(help: "Scale down so the longer side is at most this many pixels.")
    var size: Int?

    func run() throws {
        var options = Renderer.Options()
        if let window {
            let parts = window.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, parts.allSatisfy({ $0.isFinite && abs($0) < 1e15 }), parts[1] > 0 else {
                throw ValidationError("--window \(window): expected CENTER,WIDTH as finite numbers with a positive width, such as 40,400")
            }
            options.window = .explicit(center: parts[0], width: parts[1])
        } else if minMax {
            options.window = .minMax
        } else {
            options.window = .fromFile(index: windowIndex - 1)
        }
        options.maxLongSide = size
        do {
            let dicom = try DICOMFile.read(path: file)
            let index = frame.map { $0 - 1 } ?? Renderer.representativeFrame(dicom.dataSet)
            let image = try Renderer.render(dicom, frame: index, options: options)
            let lower = output.lowercased()
            let bytes = lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") ? try image.jpeg() : try image.png()
            try Data(bytes).write(to: URL(fileURLWithPath: output))
        } catch let e as ImagingError {
            FileHandle.standardError("dicomfs: error: \(file): \(e)")
            throw ExitCode(Exit.unusable)
        } catch let e as DICOMError {
            FileHandle.standardError("dicomfs: error: \(e)")
            throw ExitCode(Exit.unusable)
        }
    }
}
