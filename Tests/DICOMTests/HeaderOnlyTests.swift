@testable import DICOM
import Samples
import Testing
import TestSupport

/// A source that counts what the reader pulls, to prove a header-only scan reads no more
/// than the bytes up to the stop element.
final class CountingSource: ByteSource {
    let inner: MemoryByteSource
    private(set) var bytesRead = 0
    private(set) var highestByte = 0
    init(_ bytes: [UInt8]) { inner = MemoryByteSource(bytes) }
    var size: Int { inner.size }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        let n = try inner.read(into: buffer, at: offset)
        bytesRead += n
        highestByte = max(highestByte, offset + n)
        return n
    }
}

@Suite(.tags(.unit)) struct HeaderOnlyTests {
    /// A CT with 512×512×16-bit pixels: half a megabyte the scan must not touch.
    func bigCT() throws -> (bytes: [UInt8], pixelOffset: Int) {
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 1)).dataSet
        ds.set(.rows, .US, numbers: [512])
        ds.set(.columns, .US, numbers: [512])
        ds.set(DataElement(.pixelData, .OW, bytes: [UInt8](repeating: 7, count: 512 * 512 * 2)))
        let bytes = try Part10Writer.encode(ds, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3")
        let offset = try #require(try DICOMFile.read(bytes: bytes).dataSet[.pixelData]?.offset)
        return (bytes, offset)
    }

    @Test func readsNothingPastTheStopElement() throws {
        let (bytes, pixelOffset) = try bigCT()
        let source = CountingSource(bytes)
        var options = ReadOptions.headerOnly
        options.readAhead = 0
        let file = try DICOMFile.read(source: source, options: options)
        #expect(file.stoppedAt == pixelOffset)
        #expect(file.dataSet[.pixelData] == nil)
        #expect(file.dataSet.int(.rows) == 512)
        // Only the stop element's header (tag, VR, length: 12 bytes) is read beyond its offset,
        // to check that its value fits the file; each byte is read once.
        #expect(source.highestByte <= pixelOffset + 12)
        #expect(source.bytesRead <= pixelOffset + 12)
        #expect(file.bytesRead == source.bytesRead)
    }

    @Test func defaultReadAheadStaysSmall() throws {
        let (bytes, pixelOffset) = try bigCT()
        let source = CountingSource(bytes)
        let file = try DICOMFile.read(source: source, options: .headerOnly)
        #expect(file.stoppedAt == pixelOffset)
        #expect(source.bytesRead <= max(pixelOffset + 12, ReadOptions.headerOnly.readAhead))
        #expect(bytes.count > 500_000)
    }

    @Test func stopAtAnyElement() throws {
        let (bytes, _) = try bigCT()
        let file = try DICOMFile.read(bytes: bytes, options: ReadOptions(stopBefore: .studyInstanceUID))
        #expect(file.dataSet.contains(.patientID))
        #expect(!file.dataSet.contains(.studyInstanceUID))
        #expect(!file.dataSet.contains(.rows))
        #expect(file.meta.string(.transferSyntaxUID) == TransferSyntax.explicitVRLittleEndian.uid)
    }

    @Test func bulkDataCanStayOnDisk() throws {
        let (bytes, pixelOffset) = try bigCT()
        let file = try DICOMFile.read(bytes: bytes, options: ReadOptions(bulkDataThreshold: 1024))
        let pixels = try #require(file.dataSet[.pixelData])
        #expect(pixels.value == .notLoaded(length: 512 * 512 * 2))
        #expect(pixels.valueOffset == pixelOffset + 12)
    }
}

extension HeaderOnlyTests {
    @Test func truncationInsideTheStopElementIsCaught() throws {
        let (bytes, pixelOffset) = try bigCT()
        let cut = Array(bytes[0..<(pixelOffset + 1000)])
        #expect {
            _ = try DICOMFile.read(bytes: cut, options: .headerOnly)
        } throws: { error in
            (error as? DICOMError)?.offset == pixelOffset && (error as? DICOMError)?.tag == .pixelData
        }
    }
}
