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
    /// Each item goes through `transform` in its worker as soon as it is parsed (the identity,
    /// except for a mapped sequence: see `ItemMapping`).
    func parseItemsInParallel<T: Sendable>(tag: Tag, start: Int, end: Int, depth: Int, syntax: Syntax,
                                           charset: SpecificCharacterSet, transform: @escaping @Sendable (DataSet) -> T) throws -> [T]? {
        let workers = onlineProcessors()
        guard workers > 1, cursor.source.supportsConcurrentReads, end - start >= Self.parallelSequenceBytes,
              depth <= options.maxDepth, !syntax.bigEndian else { return nil }
        guard let bounds = itemBounds(start: start, end: end) else { return nil }
        let chunkCount = min(bounds.count, workers * 16)
        let perChunk = (bounds.count + chunkCount - 1) / chunkCount
        let source = SharedSource(cursor.source), options = self.options
        let results = parallelMap(chunkCount, workers: workers) { chunk -> Result<([T], [ReadWarning]), Error> in
            let lo = min(bounds.count, chunk * perChunk), hi = min(bounds.count, lo + perChunk)
            let parser = DataSetParser(cursor: Cursor(source: source.source, at: lo < hi ? bounds[lo].start : start, readAhead: 64 * 1024),
                                       options: options)
            return Result {
                var items: [T] = []
                items.reserveCapacity(hi - lo)
                for b in bounds[lo..<hi] {
                    parser.cursor.seek(b.start + 8)
                    var (item, _) = try parser.parseDataSet(end: b.end, depth: depth, syntax: syntax, charset: charset)
                    item.itemOffset = b.start
                    items.append(transform(item))
                }
                return (items, parser.warnings)
            }
        }
        var all: [T] = []
        all.reserveCapacity(bounds.count)
        for r in results {
            let (items, warnings) = try r.get()
            all += items
            for w in warnings { warn(w.message, offset: w.offset, tag: w.tag, damage: w.damage) }
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

/// A source that said it supports concurrent reads, handed to the workers.
/// `@unchecked Sendable`: only sources whose `supportsConcurrentReads` is true (positioned
/// reads, no shared cursor) are wrapped.
private struct SharedSource: @unchecked Sendable {
    let source: ByteSource
    init(_ source: ByteSource) { self.source = source }
}
