import DICOM
import Foundation

/// How to choose the VOI window (PS3.3 C.11.2).
public enum WindowChoice: Sendable, Equatable {
    /// The file's VOI LUT or its Window Center/Width (the value at `index` when several);
    /// when it has neither, `robust`.
    case fromFile(index: Int)
    case explicit(center: Double, width: Double)
    /// From the smallest to the largest modality value.
    case minMax
    /// From the 0.5th to the 99.5th percentile: a few hot pixels do not grey out the rest.
    case robust
}

/// The grey-scale display pipeline, PS3.3 C.11: Modality LUT (rescale or LUT), VOI (window
/// with LINEAR, LINEAR_EXACT or SIGMOID, or a VOI LUT), then Presentation LUT Shape and
/// MONOCHROME1 inversion; colour images through their colour model to RGB.
public struct DisplayPipeline: Sendable {
    let dataSet: DataSet
    public var window: WindowChoice

    public init(_ dataSet: DataSet, window: WindowChoice = .fromFile(index: 0)) {
        self.dataSet = dataSet
        self.window = window
    }

    public func render(_ frame: DecodedFrame) throws -> Image8 {
        if frame.samplesPerPixel == 3 { return try ColorModel.rgb(frame, dataSet) }
        if frame.photometric == "PALETTE COLOR" { return try ColorModel.palette(frame, dataSet) }
        return grey(frame)
    }

    // MARK: Grey

    func grey(_ frame: DecodedFrame) -> Image8 {
        let values = modality(frame.samples)
        var out = [UInt8](repeating: 0, count: values.count)
        // A VOI LUT only when the file has no window: where both are present PS3.3 C.11.2 lets
        // either be applied, and the window is what DCMTK and most viewers show first.
        let hasWindow = !(dataSet.doubles(.windowCenter) ?? []).isEmpty
        if case .fromFile(let index) = window, !hasWindow,
           let items = dataSet.sequence(Tag(0x0028, 0x3010)), !items.isEmpty,
           let lut = LookupTable(items[min(max(index, 0), items.count - 1)], signed: false) {
            let top = Double((1 << lut.bits) - 1)
            for i in values.indices { out[i] = byte(Double(lut[clampedInt(values[i].rounded(.down))]) / top * 255) }
        } else {
            let (center, width, function) = chooseWindow(values)
            // Equal stored values give equal output: compute each distinct one once.
            let samples = frame.samples
            if let lo = samples.min(), let hi = samples.max(), Int(hi) - Int(lo) < 1 << 17 {
                var table = [Int16](repeating: -1, count: Int(hi) - Int(lo) + 1)
                for i in values.indices {
                    let k = Int(samples[i]) - Int(lo)
                    if table[k] < 0 { table[k] = Int16(Self.voi(values[i], center: center, width: width, function: function)) }
                    out[i] = UInt8(table[k])
                }
            } else {
                for i in values.indices { out[i] = Self.voi(values[i], center: center, width: width, function: function) }
            }
        }
        let inverse = (frame.photometric == "MONOCHROME1") != (dataSet.string(Tag(0x2050, 0x0020))?.uppercased() == "INVERSE")
        if inverse { for i in out.indices { out[i] = 255 - out[i] } }
        return Image8(width: frame.width, height: frame.height, channels: 1, pixels: out)
    }

    /// Stored values to modality values: a Modality LUT Sequence, or Rescale Slope/Intercept
    /// (what the offline viewer windows itself).
    public func modality(_ stored: [Int32]) -> [Double] {
        if let lut = LookupTable(dataSet.sequence(Tag(0x0028, 0x3000))?.first, signed: dataSet.int(.pixelRepresentation) == 1) {
            return stored.map { Double(lut[Int($0)]) }
        }
        // Values from the file are checked before use: a NaN, infinite, zero or absurd slope
        // (1e308 overflows to infinity) is taken as 1, such an intercept as 0.
        var slope = dataSet.double(.rescaleSlope) ?? 1, intercept = dataSet.double(.rescaleIntercept) ?? 0
        if !slope.isFinite || slope == 0 || abs(slope) > 1e9 || abs(slope) < 1e-9 { slope = 1 }
        if !intercept.isFinite || abs(intercept) > 1e12 { intercept = 0 }
        if slope == 1 && intercept == 0 { return stored.map { Double($0) } }
        return stored.map { Double($0) * slope + intercept }
    }

    func chooseWindow(_ values: [Double]) -> (Double, Double, String) {
        switch window {
        case .explicit(let c, let w) where c.isFinite && w.isFinite && abs(c) < 1e15 && abs(w) < 1e15: return (c, max(w, 1), "LINEAR")
        case .explicit: return Self.range(values, low: 0.005, high: 0.995)
        case .fromFile(let index):
            let centers = dataSet.doubles(.windowCenter) ?? [], widths = dataSet.doubles(.windowWidth) ?? []
            if !centers.isEmpty && centers.count == widths.count {
                let i = min(max(index, 0), centers.count - 1)
                let function = (dataSet.string(Tag(0x0028, 0x1056)) ?? "LINEAR").uppercased()
                let usable = centers[i].isFinite && widths[i].isFinite && abs(centers[i]) < 1e15 && widths[i] < 1e15
                if usable && (widths[i] >= 1 || (function == "LINEAR_EXACT" && widths[i] > 0)) { return (centers[i], widths[i], function) }
            }
            return Self.range(values, low: 0.005, high: 0.995)
        case .minMax: return Self.range(values, low: 0, high: 1)
        case .robust: return Self.range(values, low: 0.005, high: 0.995)
        }
    }

    /// A LINEAR window spanning the given quantiles of the values.
    static func range(_ values: [Double], low: Double, high: Double) -> (Double, Double, String) {
        guard !values.isEmpty else { return (0, 1, "LINEAR") }
        var lo: Double, hi: Double
        if low == 0 && high == 1 {
            lo = values.min() ?? 0; hi = values.max() ?? 1
        } else {
            (lo, hi) = quantiles(values, low, high)
        }
        // The LINEAR function maps [c - 0.5 - (w-1)/2, c - 0.5 + (w-1)/2] onto the output.
        let width = max(hi - lo + 1, 1)
        return (lo + (width - 1) / 2 + 0.5, width, "LINEAR")
    }

    /// The `low` and `high` quantiles: by a histogram when the values are integers in a
    /// modest range (stored pixels nearly always are), else by sorting.
    static func quantiles(_ values: [Double], _ low: Double, _ high: Double) -> (Double, Double) {
        let minimum = values.min() ?? 0, maximum = values.max() ?? 1
        let n = values.count
        if maximum - minimum <= Double(1 << 20), values.allSatisfy({ $0 == $0.rounded() }) {
            let base = Int(minimum)
            var counts = [Int](repeating: 0, count: Int(maximum - minimum) + 1)
            for v in values { counts[Int(v) - base] += 1 }
            func at(_ q: Double) -> Double {
                let rank = Int(Double(n - 1) * q)
                var seen = 0
                for (i, c) in counts.enumerated() {
                    seen += c
                    if seen > rank { return Double(i + base) }
                }
                return maximum
            }
            let lo = at(low), hi = at(high)
            return hi > lo ? (lo, hi) : (minimum, maximum)
        }
        let sorted = values.sorted()
        let lo = sorted[Int(Double(n - 1) * low)], hi = sorted[Int(Double(n - 1) * high)]
        return hi > lo ? (lo, hi) : (minimum, maximum)
    }

    /// PS3.3 C.11.2.1.2 (LINEAR), C.11.2.1.3.2 (LINEAR_EXACT), C.11.2.1.3.1 (SIGMOID) to 0…255.
    static func voi(_ x: Double, center c: Double, width w: Double, function: String) -> UInt8 {
        let y: Double
        switch function {
        case "SIGMOID":
            y = 255 / (1 + exp(-4 * (x - c) / w))
        case "LINEAR_EXACT":
            if x <= c - w / 2 { y = 0 } else if x > c + w / 2 { y = 255 } else { y = ((x - c) / w + 0.5) * 255 }
        default:
            if x <= c - 0.5 - (w - 1) / 2 { y = 0 } else if x > c - 0.5 + (w - 1) / 2 { y = 255 } else { y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255 }
        }
        return byte(y)
    }
}

/// A display value to a byte: NaN is 0, everything else clamped to 0…255 before conversion.
@inline(__always) func byte(_ y: Double) -> UInt8 {
    guard y == y else { return 0 }
    return UInt8(min(255, max(0, y.rounded())))
}

/// A Double to an Int that never traps: NaN is 0, the rest clamped to ±2^53.
@inline(__always) func clampedInt(_ d: Double) -> Int {
    guard d == d else { return 0 }
    return Int(min(9_007_199_254_740_992, max(-9_007_199_254_740_992, d)))
}

/// A LUT from a Modality LUT, VOI LUT or palette item: descriptor (entries, first mapped
/// value, bits) and data; values outside the table take its first or last entry.
struct LookupTable {
    var first: Int
    var bits: Int
    var entries: [Int]

    /// `signed`: the image's Pixel Representation is 1, so the first mapped value is signed
    /// (PS3.3 C.11.1.1: its VR is SS then, US otherwise).
    init?(_ item: DataSet?, signed: Bool) {
        guard let item, let d = item[Tag(0x0028, 0x3002)]?.bytes, d.count >= 6, let data = item[Tag(0x0028, 0x3006)]?.bytes else { return nil }
        self.init(descriptor: d, data: data, signed: signed)
    }

    init(first: Int, bits: Int, entries: [Int]) {
        self.first = first
        self.bits = bits
        self.entries = entries.isEmpty ? [0] : entries
    }

    init?(descriptor d: [UInt8], data: [UInt8], signed: Bool) {
        guard d.count >= 6 else { return nil }
        var count = Int(d[0]) | Int(d[1]) << 8
        if count == 0 { count = 65_536 }
        let rawFirst = UInt16(d[2]) | UInt16(d[3]) << 8
        first = signed ? Int(Int16(bitPattern: rawFirst)) : Int(rawFirst)
        bits = max(1, min(16, Int(d[4]) | Int(d[5]) << 8))
        // 8-bit tables are sometimes stored one entry per byte, sometimes per 16-bit word.
        if data.count == count * 2 {
            entries = (0..<count).map { Int(data[2 * $0]) | Int(data[2 * $0 + 1]) << 8 }
        } else if data.count >= count {
            entries = Array(data.prefix(count)).map(Int.init)
        } else {
            return nil
        }
        guard !entries.isEmpty else { return nil }
    }

    subscript(_ value: Int) -> Int { entries[min(max(value - first, 0), entries.count - 1)] }
}
