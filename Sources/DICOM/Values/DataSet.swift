/// An ordered collection of data elements: a file's data set, its meta information, or an item.
///
/// Elements are kept sorted by tag, as DICOM requires; a file whose elements are out of order
/// is read as is and sorted, with a warning from the reader.
public struct DataSet: Sendable, Equatable {
    public private(set) var elements: [DataElement]
    /// The character set in force for this data set: its own (0008,0005), or its parent's for
    /// a sequence item without one (PS3.5 §6.1.2.5.3). Set by the reader and by `set(_:)`.
    public var characterSet: SpecificCharacterSet
    /// For a sequence item read from a file: where its item tag (FFFE,E000) starts. DICOMDIR
    /// offsets point there.
    public var itemOffset: Int?

    public init(_ elements: [DataElement] = [], characterSet: SpecificCharacterSet = .default) {
        self.elements = elements.sorted { $0.tag < $1.tag }
        self.characterSet = characterSet
    }

    /// Builds from elements already in ascending tag order (the reader's fast path).
    public init(sortedElements: [DataElement], characterSet: SpecificCharacterSet) {
        elements = sortedElements
        self.characterSet = characterSet
    }

    /// Room for `n` elements in all, for data sets built element by element by the ten thousand.
    public mutating func reserveCapacity(_ n: Int) { elements.reserveCapacity(n) }

    /// Same elements and character set; where an item sat in a file does not matter.
    public static func == (a: DataSet, b: DataSet) -> Bool {
        a.elements == b.elements && a.characterSet == b.characterSet
    }

    public var isEmpty: Bool { elements.isEmpty }
    public var count: Int { elements.count }

    private func index(of tag: Tag) -> (found: Bool, index: Int) {
        var lo = 0, hi = elements.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if elements[mid].tag < tag { lo = mid + 1 } else { hi = mid }
        }
        return (lo < elements.count && elements[lo].tag == tag, lo)
    }

    public subscript(tag: Tag) -> DataElement? {
        let (found, i) = index(of: tag)
        return found ? elements[i] : nil
    }

    public func contains(_ tag: Tag) -> Bool { index(of: tag).found }

    /// Inserts or replaces an element, keeping tag order.
    public mutating func set(_ element: DataElement) {
        // Data sets are mostly built in tag order: an append, not a search and an insert.
        if elements.isEmpty || elements[elements.count - 1].tag < element.tag {
            elements.append(element)
        } else {
            let (found, i) = index(of: element.tag)
            if found { elements[i] = element } else { elements.insert(element, at: i) }
        }
        if element.tag == .specificCharacterSet, let b = element.bytes {
            characterSet = SpecificCharacterSet(String(decoding: b, as: UTF8.self))
        }
    }

    @discardableResult
    public mutating func remove(_ tag: Tag) -> DataElement? {
        let (found, i) = index(of: tag)
        return found ? elements.remove(at: i) : nil
    }
}

extension DataSet {
    /// Reads a bare data set (no preamble, no meta) in Explicit VR Little Endian: the form
    /// `DataSetEncoder` writes, used to keep small groups of elements compactly.
    public static func decode(explicitLittleEndian bytes: [UInt8]) throws -> DataSet {
        // One window over all of it: the bytes are in memory already.
        let parser = DataSetParser(cursor: Cursor(source: MemoryByteSource(bytes), readAhead: bytes.count), options: ReadOptions())
        return try parser.parseDataSet(end: nil, depth: 0, syntax: .explicitLittle, charset: .default).0
    }
}
