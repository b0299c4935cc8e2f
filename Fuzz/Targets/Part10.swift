import DICOM
import Imaging

/// The Part 10 reader: parses the input; when it parses, dumps it as text and JSON, writes
/// it back and re-reads what was written, and renders its first frame at icon and web sizes
/// (every number of the pixel module and VOI taken from the input).
func fuzzPart10(_ bytes: [UInt8]) {
    let header = try? DICOMFile.read(bytes: bytes, options: .headerOnly)
    // The scan's fast path accepts only what the general reader reads without a warning,
    // and locates the same elements (sequences it locates but does not parse).
    if let raw = RawHeader.read(source: MemoryByteSource(bytes)), !raw.elements.contains(where: { $0.vr == .SQ }) {
        guard let header else { preconditionFailure("RawHeader accepts what the reader rejects") }
        precondition(header.warnings.isEmpty, "RawHeader accepts what the reader warns about: \(header.warnings)")
        for e in header.dataSet.elements where e.vr != .SQ && e.bytes != nil {
            precondition(raw.element(e.tag).map(raw.dataElement) == e, "RawHeader locates \(e.tag) differently")
        }
    }
    guard let file = try? DICOMFile.read(bytes: bytes) else { return }
    _ = TextDump().render(file)
    _ = DICOMJSON(inlineBinary: true).encode(file.dataSet, meta: file.meta)
    for side in [64, 1024] {
        var options = Renderer.Options()
        options.maxLongSide = side
        if let image = try? Renderer.render(file, frame: Renderer.representativeFrame(file.dataSet), options: options) {
            precondition(image.pixels.count == image.width * image.height * image.channels, "rendered image has the wrong size")
        }
    }
    let syntax: TransferSyntax = file.transferSyntax.isEncapsulated ? file.transferSyntax : .explicitVRLittleEndian
    guard let written = try? Part10Writer.encode(file.dataSet, sopClassUID: "1.2.3", sopInstanceUID: "1.2.3.4",
                                                 transferSyntax: syntax) else { return }
    do {
        let again = try DICOMFile.read(bytes: written)
        precondition(again.dataSet.count == file.dataSet.elements.filter { $0.tag.group != 0x0002 }.count,
                     "re-read element count differs")
    } catch {
        preconditionFailure("what dicomfs wrote does not read back: \(error)")
    }
}
