#if canImport(Glibc)
import Glibc
#endif
@testable import DICOM
import Testing
import TestSupport

/// Sequences over 1 MB are parsed on all cores; the result, warnings and errors must be exactly
/// those of the sequential parser (which a source without concurrent reads still gets).
@Suite(.tags(.unit)) struct ParallelItemsTests {
    /// A source that refuses concurrent reads: forces the sequential path.
    final class SerialSource: ByteSource {
        let inner: MemoryByteSource
        init(_ bytes: [UInt8]) { inner = MemoryByteSource(bytes) }
        var size: Int { inner.size }
        func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
            try inner.read(into: buffer, at: offset)
        }
    }

    /// 8,000 items of about 150 bytes: a 1.2 MB sequence, like a DICOMDIR of 8,000 records.
    static func bigFile() throws -> [UInt8] {
        var items: [DataSet] = []
        for i in 0..<8000 {
            var item = DataSet()
            item.set(.patientName, .PN, "NAME^\(i)")
            item.set(.patientID, .LO, "ID\(i)")
            item.set(.studyDescription, .LO, String(repeating: "X", count: 100))
            items.append(item)
        }
        var ds = DataSet()
        ds.set(.directoryRecordSequence, sequence: items)
        return try Part10Writer.encode(ds, sopClassUID: "1.2.840.10008.1.3.10", sopInstanceUID: "1.2.3")
    }

    static func read(_ bytes: [UInt8], parallel: Bool) throws -> DICOMFile {
        try DICOMFile.read(source: parallel ? MemoryByteSource(bytes) as ByteSource : SerialSource(bytes))
    }

    @Test func sameItemsAndOffsets() throws {
        let bytes = try Self.bigFile()
        let a = try Self.read(bytes, parallel: true), b = try Self.read(bytes, parallel: false)
        let x = try #require(a.dataSet.sequence(.directoryRecordSequence))
        let y = try #require(b.dataSet.sequence(.directoryRecordSequence))
        #expect(x.count == 8000)
        #expect(x == y)
        #expect(x.map(\.itemOffset) == y.map(\.itemOffset))
        #expect(x[7999].string(.patientID) == "ID7999")
    }

    /// Items handed to a function as they are parsed (the DICOMDIR reader's way) come out
    /// as the whole read gives them, in file order, on both paths; the file keeps the
    /// sequence empty, its offsets kept; warnings are the same.
    @Test func mappedItemsAreTheItemsParsed() throws {
        var bytes = try Self.bigFile()
        let at = try Self.patientIDTagOffset(bytes, item: 6000)
        bytes[at + 2] = 0x05   // a warning in item 6000, as in sameWarnings
        let whole = try Self.read(bytes, parallel: false)
        let items = try #require(whole.dataSet.sequence(.directoryRecordSequence))
        for parallel in [true, false] {
            let source: ByteSource = parallel ? MemoryByteSource(bytes) : SerialSource(bytes)
            let (file, mapped) = try DICOMFile.read(source: source, path: "x", mappingItemsOf: .directoryRecordSequence) {
                ($0.itemOffset, $0.elements.map(\.tag), $0.string(.patientName))
            }
            #expect(mapped.count == items.count)
            #expect(mapped.map(\.0) == items.map(\.itemOffset))
            #expect(mapped.map(\.1) == items.map { $0.elements.map(\.tag) })
            #expect(mapped.map(\.2) == items.map { $0.string(.patientName) })
            #expect(file.dataSet.sequence(.directoryRecordSequence)?.isEmpty == true)
            #expect(file.dataSet[.directoryRecordSequence]?.valueOffset == whole.dataSet[.directoryRecordSequence]?.valueOffset)
            #expect(file.warnings == whole.warnings)
        }
    }

    /// Offset of item `k`'s Patient ID tag, found through the items the reader reports.
    static func patientIDTagOffset(_ bytes: [UInt8], item k: Int) throws -> Int {
        let file = try read(bytes, parallel: false)
        let item = try #require(file.dataSet.sequence(.directoryRecordSequence)?[k])
        return try #require(item[.patientID]?.offset)
    }

    @Test func sameWarnings() throws {
        var bytes = try Self.bigFile()
        // Item 6000's Patient ID becomes (0010,0005): out of order after (0010,0010).
        let at = try Self.patientIDTagOffset(bytes, item: 6000)
        bytes[at + 2] = 0x05
        let a = try Self.read(bytes, parallel: true), b = try Self.read(bytes, parallel: false)
        #expect(!a.warnings.isEmpty)
        #expect(a.warnings == b.warnings)
        #expect(a.dataSet == b.dataSet)
    }

    @Test func sameError() throws {
        var bytes = try Self.bigFile()
        // Item 7000's Patient ID claims 0xFFF0 bytes: more than its item holds.
        let at = try Self.patientIDTagOffset(bytes, item: 7000)
        bytes[at + 6] = 0xF0; bytes[at + 7] = 0xFF
        let a = #expect(throws: DICOMError.self) { try Self.read(bytes, parallel: true) }
        let b = #expect(throws: DICOMError.self) { try Self.read(bytes, parallel: false) }
        #expect(a?.description == b?.description)
        #expect(a?.offset == at)
    }
}

/// The thread-per-reader map used when the disk is slow: results in index order, every index
/// once, with more threads than processors and more threads than items.
@Suite(.tags(.unit)) struct WaitingMapTests {
    @Test func resultsInOrderWhateverTheThreads() {
        for (count, threads) in [(0, 4), (1, 16), (10, 16), (10_000, 16), (257, 3)] {
            let calls = WorkCounter()
            let out = parallelMapWaiting(count, threads: threads) { i -> Int in
                _ = calls.increment()
                if i % 97 == 0 { usleep(200) }   // some wait, as a read from a slow disk does
                return i * 3
            }
            #expect(out == (0..<count).map { $0 * 3 }, "\(count) items on \(threads) threads")
            #expect(calls.increment() == count, "every index exactly once")
        }
    }
}
