/// JPEG Lossless, non-hierarchical (ITU T.81 process 14; DICOM 1.2.840.10008.1.2.4.57 and
/// .70, the latter "SV1", selection value 1). Debian's libjpeg-turbo 2.1 has no lossless
/// decoder and its 12/16-bit paths are not built, so this one is ours: Huffman-coded
/// differences, the seven predictors, point transform, restart intervals, interleaved
/// components of 2–16 bits. Every read is bounds-checked; malformed data is an error.
struct JPEGLosslessDecoder {
    private let data: [UInt8]
    private var position = 0

    private struct Component { var id: UInt8; var table = 0 }
    private struct HuffmanTable {
        var maxCode = [Int](repeating: -1, count: 18)
        var valuePointer = [Int](repeating: 0, count: 17)
        var minCode = [Int](repeating: 0, count: 17)
        var values: [UInt8] = []
    }

    private var precision = 0, width = 0, height = 0
    private var components: [Component] = []
    private var tables = [HuffmanTable?](repeating: nil, count: 4)
    private var restartInterval = 0

    init(_ data: [UInt8]) { self.data = data }

    static func decode(_ data: [UInt8]) throws -> (width: Int, height: Int, components: Int, precision: Int, samples: [Int32]) {
        var d = JPEGLosslessDecoder(data)
        return try d.run()
    }

    private mutating func byte() throws -> Int {
        guard position < data.count else { throw ImagingError("JPEG Lossless data ends early at byte \(position)") }
        defer { position += 1 }
        return Int(data[position])
    }

    private mutating func word() throws -> Int { try byte() << 8 | byte() }

    private mutating func run() throws -> (width: Int, height: Int, components: Int, precision: Int, samples: [Int32]) {
        guard try word() == 0xFFD8 else { throw ImagingError("JPEG Lossless data does not start with SOI (FFD8)") }
        while true {
            var marker = try byte()
            guard marker == 0xFF else { throw ImagingError("expected a JPEG marker at byte \(position - 1)") }
            while marker == 0xFF { marker = try byte() }
            switch marker {
            case 0xC3, 0xC7, 0xCB, 0xCF:
                try readFrameHeader(marker)
            case 0xC0, 0xC1, 0xC2, 0xC5, 0xC6, 0xC9, 0xCA, 0xCD, 0xCE:
                throw ImagingError("JPEG frame type SOF\(String(marker - 0xC0, radix: 16, uppercase: true)) is not lossless (process 14)")
            case 0xC4:
                try readHuffmanTables()
            case 0xDD:
                _ = try word()
                restartInterval = try word()
            case 0xDA:
                return try readScan()
            case 0xD9:
                throw ImagingError("JPEG Lossless data ends (EOI) before any scan")
            default:
                let length = try word()
                guard length >= 2, position + length - 2 <= data.count else { throw ImagingError("JPEG segment FF\(String(marker, radix: 16, uppercase: true)) runs past the data") }
                position += length - 2
            }
        }
    }

    private mutating func readFrameHeader(_ marker: Int) throws {
        guard marker == 0xC3 else { throw ImagingError("arithmetic-coded or differential JPEG Lossless is not supported") }
        _ = try word()
        precision = try byte()
        height = try word()
        width = try word()
        let count = try byte()
        guard (2...16).contains(precision), width > 0, height > 0, (1...4).contains(count) else {
            throw ImagingError("JPEG Lossless frame header: precision \(precision), \(width) × \(height), \(count) components")
        }
        components = []
        for _ in 0..<count {
            let id = UInt8(try byte())
            let sampling = try byte()
            _ = try byte()
            guard sampling == 0x11 else { throw ImagingError("subsampled JPEG Lossless components are not supported") }
            components.append(Component(id: id))
        }
    }

    private mutating func readHuffmanTables() throws {
        let start = position
        let end = start + (try word())
        guard end <= data.count else { throw ImagingError("JPEG DHT segment runs past the data") }
        while position < end {
            let info = try byte()
            let index = info & 0x0F
            guard index < 4 else { throw ImagingError("JPEG Huffman table index \(index) out of range") }
            var counts = [Int](repeating: 0, count: 17)
            for l in 1...16 { counts[l] = try byte() }
            let total = counts.reduce(0, +)
            guard total <= 256, position + total <= data.count else { throw ImagingError("JPEG Huffman table holds \(total) codes") }
            var table = HuffmanTable()
            table.values = Array(data[position..<(position + total)])
            position += total
            var code = 0, k = 0
            for l in 1...16 {
                table.valuePointer[l] = k
                table.minCode[l] = code
                code += counts[l]
                k += counts[l]
                table.maxCode[l] = counts[l] > 0 ? code - 1 : -1
                code <<= 1
            }
            table.maxCode[17] = Int.max
            tables[index] = table
        }
        position = end
    }

    private mutating func readScan() throws -> (width: Int, height: Int, components: Int, precision: Int, samples: [Int32]) {
        guard !components.isEmpty else { throw ImagingError("JPEG scan before the frame header (SOF3)") }
        _ = try word()
        let count = try byte()
        guard count == components.count else { throw ImagingError("JPEG scan with \(count) of \(components.count) components (non-interleaved scans are not supported)") }
        for _ in 0..<count {
            let id = UInt8(try byte())
            let t = try byte() >> 4
            guard let i = components.firstIndex(where: { $0.id == id }), t < 4, tables[t] != nil else {
                throw ImagingError("JPEG scan names component \(id) or Huffman table \(t) that is not defined")
            }
            components[i].table = t
        }
        let predictor = try byte()
        _ = try byte()
        let pointTransform = try byte() & 0x0F
        guard (1...7).contains(predictor), pointTransform < precision else {
            throw ImagingError("JPEG Lossless predictor \(predictor) / point transform \(pointTransform) out of range")
        }
        let n = components.count
        var out = [Int32](repeating: 0, count: width * height * n)
        var bits = BitReader(data: data, position: position)
        let initial = 1 << (precision - pointTransform - 1)
        let modulus = 1 << 16
        var restartLeft = restartInterval
        var lineStart = 0   // first row after a restart behaves like the first row
        for y in 0..<height {
            for x in 0..<width {
                if restartInterval > 0 {
                    if restartLeft == 0 {
                        bits.restart()
                        restartLeft = restartInterval
                        lineStart = y
                    }
                    restartLeft -= 1
                }
                let restarted = restartInterval > 0 && restartLeft == restartInterval - 1
                for c in 0..<n {
                    guard let table = tables[components[c].table] else { throw ImagingError("missing Huffman table") }
                    let diff = try decodeDifference(&bits, table)
                    let i = (y * width + x) * n + c
                    var prediction: Int
                    if restarted || (y == lineStart && x == 0) {
                        prediction = initial
                    } else if y == lineStart {
                        prediction = Int(out[i - n])
                    } else if x == 0 {
                        prediction = Int(out[i - width * n])
                    } else {
                        let a = Int(out[i - n]), b = Int(out[i - width * n]), cc = Int(out[i - width * n - n])
                        switch predictor {
                        case 1: prediction = a
                        case 2: prediction = b
                        case 3: prediction = cc
                        case 4: prediction = a + b - cc
                        case 5: prediction = a + ((b - cc) >> 1)
                        case 6: prediction = b + ((a - cc) >> 1)
                        default: prediction = (a + b) >> 1
                        }
                    }
                    out[i] = Int32((prediction + diff) & (modulus - 1))
                }
            }
        }
        if pointTransform > 0 { for i in out.indices { out[i] <<= Int32(pointTransform) } }
        return (width, height, n, precision, out)
    }

    private func decodeDifference(_ bits: inout BitReader, _ t: HuffmanTable) throws -> Int {
        var code = bits.bit()
        var length = 1
        while code > t.maxCode[length] {
            code = code << 1 | bits.bit()
            length += 1
            guard length <= 16 else { throw ImagingError("invalid Huffman code in JPEG Lossless data near byte \(bits.position)") }
        }
        let index = t.valuePointer[length] + code - t.minCode[length]
        guard index >= 0, index < t.values.count else { throw ImagingError("invalid Huffman code in JPEG Lossless data") }
        let ssss = Int(t.values[index])
        if ssss == 0 { return 0 }
        if ssss == 16 { return 32768 }
        guard ssss < 16 else { throw ImagingError("JPEG Lossless difference category \(ssss) out of range") }
        var v = 0
        for _ in 0..<ssss { v = v << 1 | bits.bit() }
        return v < 1 << (ssss - 1) ? v - (1 << ssss) + 1 : v
    }
}

/// Entropy-coded bits with FF00 stuffing removed; stops at a marker and yields zeros.
private struct BitReader {
    let data: [UInt8]
    var position: Int
    private var current = 0, left = 0

    init(data: [UInt8], position: Int) {
        self.data = data
        self.position = position
    }

    mutating func bit() -> Int {
        if left == 0 {
            guard position < data.count else { return 0 }
            let b = Int(data[position])
            if b == 0xFF {
                let next = position + 1 < data.count ? data[position + 1] : 0xD9
                if next == 0 { position += 2 } else { return 0 }   // a marker: no more bits
            } else {
                position += 1
            }
            current = b
            left = 8
        }
        left -= 1
        return (current >> left) & 1
    }

    /// Skips to and past the next RSTn marker.
    mutating func restart() {
        left = 0
        while position + 1 < data.count {
            if data[position] == 0xFF && (0xD0...0xD7).contains(data[position + 1]) { position += 2; return }
            position += 1
        }
    }
}
