// libFuzzer target for the Part 10 reader, compiled together with Sources/DICOM by
// Fuzz/run.sh (swiftc -sanitize=fuzzer,address). Parses the input; when it parses,
// dumps it as text and JSON, writes it back and re-reads what was written.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPart10(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
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
    guard let file = try? DICOMFile.read(bytes: bytes) else { return 0 }
    _ = TextDump().render(file)
    _ = DICOMJSON(inlineBinary: true).encode(file.dataSet, meta: file.meta)
    let syntax: TransferSyntax = file.transferSyntax.isEncapsulated ? file.transferSyntax : .explicitVRLittleEndian
    guard let written = try? Part10Writer.encode(file.dataSet, sopClassUID: "1.2.3", sopInstanceUID: "1.2.3.4",
                                                 transferSyntax: syntax) else { return 0 }
    do {
        let again = try DICOMFile.read(bytes: written)
        precondition(again.dataSet.count == file.dataSet.elements.filter { $0.tag.group != 0x0002 }.count,
                     "re-read element count differs")
    } catch {
        preconditionFailure("what dicomfs wrote does not read back: \(error)")
    }
    return 0
}
