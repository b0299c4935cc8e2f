#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Large sequences of defined-length items (a DICOMDIR's Directory Record Sequence holds one
/// item per file of the file-set) are parsed on all cores: item boundaries are found by hopping
/// over item headers, then runs of items are parsed by independent parsers, each with its own
/// cursor over the same source. Results, warnings and the first error come out in file order,
/// exactly as the sequential parser gives them; anything irregular takes the sequential path.
extension DataSetParser {
    /// Sequences smaller than this are not worth the threads.
    static let parallelSequenceBytes = 1 << 20

    /// The items of the defined-length sequence [start, end), or nil when the sequence is not
    /// a plain run of defined-length items that fit it (the sequential parser then reads it and
    /// reports whatever is wrong).
    func parseItemsInParallel(tag: Tag, start: Int, end: Int, depth: Int, syntax: Syntax,
                              charset: SpecificCharacterSet) throws -> [DataSet]? {
        let workers = onlineProcessors()
        guard workers > 1, cursor.source.supportsConcurrentReads, end - start >= Self.parallelSequenceBytes,
              depth <= options.maxDepth, !syntax.bigEndian else { return nil }
        guard let bounds = itemBounds(start: start, end: end) else { return nil }
        let chunkCount = min(bounds.count, workers * 16)
        let perChunk = (bounds.count + chunkCount - 1) / chunkCount
        let results = ChunkResults(count: chunkCount)
        let source = SharedSource(cursor.source), options = self.options
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let lo = chunk * perChunk, hi = min(bounds.count, lo + perChunk)
            guard lo < hi else { return }
            let parser = DataSetParser(cursor: Cursor(source: source.source, at: bounds[lo].start, readAhead: 64 * 1024), options: options)
            var items: [DataSet] = []
            items.reserveCapacity(hi - lo)
            do {
                for b in bounds[lo..<hi] {
                    parser.cursor.seek(b.start + 8)
                    var (item, _) = try parser.parseDataSet(end: b.end, depth: depth, syntax: syntax, charset: charset)
                    item.itemOffset = b.start
                    items.append(item)
                }
                results.set(chunk, .success((items, parser.warnings)))
            } catch {
                results.set(chunk, .failure(error))
            }
        }
        var all: [DataSet] = []
        all.reserveCapacity(bounds.count)
        for r in results.values {
            switch r {
            case .success(let (items, warnings))?:
                all += items
                for w in warnings { warn(w.message, offset: w.offset, tag: w.tag) }
            case .failure(let error)?:
                throw error
            case nil:
                break
            }
        }
        cursor.seek(end)
        return all
    }

    /// Start and end of every item, when each is (FFFE,E000) with a defined length inside [start, end).
    private func itemBounds(start: Int, end: Int) -> [(start: Int, end: Int)]? {
        var bounds: [(start: Int, end: Int)] = []
        var pos = start
        do {
            while pos < end {
                guard end - pos >= 8 else { return nil }
                cursor.seek(pos)
                let group = try cursor.u16(), element = try cursor.u16(), length = try cursor.u32()
                guard Tag(group, element) == .item, length != 0xFFFF_FFFF, Int(length) <= end - pos - 8 else { return nil }
                bounds.append((pos, pos + 8 + Int(length)))
                pos += 8 + Int(length)
            }
        } catch {
            return nil
        }
        return bounds
    }
}

/// Processors online now: how many workers parallel work uses (here and in the modules
/// above).
public func onlineProcessors() -> Int {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}

/// Per-chunk results, each slot written by exactly one worker.
private final class ChunkResults: @unchecked Sendable {
    var values: [Result<([DataSet], [ReadWarning]), Error>?]
    private let lock = DispatchQueue(label: "dicomfs.parallel-items")
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<([DataSet], [ReadWarning]), Error>) { lock.sync { values[i] = r } }
}

/// A source that said it supports concurrent reads, handed to the workers.
private struct SharedSource: @unchecked Sendable {
    let source: ByteSource
    init(_ source: ByteSource) { self.source = source }
}
