import DICOM

/// Icon Image Sequence items (PS3.3 F.7) for DICOMDIR records: square (64 or 128 pixels),
/// 8-bit MONOCHROME2 for grey images or PALETTE COLOR for colour ones, the image fitted
/// with its aspect ratio kept and the rest black, drawn from the representative frame.
public enum IconMaker {
    /// The icon for the image file at `path`; throws when it cannot be rendered.
    public static func icon(path: String, size: Int = 64) throws -> DataSet {
        let file = try DICOMFile.read(path: path)
        var options = Renderer.Options()
        options.window = .fromFile(index: 0)
        let image = try Renderer.render(file, frame: Renderer.representativeFrame(file.dataSet), options: options)
        return item(image.letterboxed(size: size))
    }

    static func item(_ image: Image8) -> DataSet {
        var ds = DataSet()
        ds.set(.samplesPerPixel, .US, numbers: [1])
        ds.set(.rows, .US, numbers: [Double(image.height)])
        ds.set(.columns, .US, numbers: [Double(image.width)])
        ds.set(.bitsAllocated, .US, numbers: [8])
        ds.set(.bitsStored, .US, numbers: [8])
        ds.set(.highBit, .US, numbers: [7])
        ds.set(.pixelRepresentation, .US, numbers: [0])
        if image.channels == 1 {
            ds.set(.photometricInterpretation, .CS, "MONOCHROME2")
            ds.set(DataElement(.pixelData, .OB, bytes: image.pixels))
            return ds
        }
        ds.set(.photometricInterpretation, .CS, "PALETTE COLOR")
        let descriptor: [UInt8] = [0, 1, 0, 0, 16, 0]   // 256 entries from 0, 16 bits each
        for (d, t) in [(0x1101, 0x1201), (0x1102, 0x1202), (0x1103, 0x1203)] {
            ds.set(DataElement(Tag(0x0028, UInt16(d)), .US, bytes: descriptor))
            let channel = d - 0x1101
            ds.set(DataElement(Tag(0x0028, UInt16(t)), .OW, bytes: Palette.table.flatMap { rgb -> [UInt8] in
                let v = UInt16(rgb[channel]) * 257
                return [UInt8(v & 0xFF), UInt8(v >> 8)]
            }))
        }
        var indices = [UInt8](repeating: 0, count: image.width * image.height)
        for i in indices.indices {
            indices[i] = Palette.index(image.pixels[3 * i], image.pixels[3 * i + 1], image.pixels[3 * i + 2])
        }
        ds.set(DataElement(.pixelData, .OB, bytes: indices))
        return ds
    }

    /// 216 colours (6 levels of red, green and blue) and 40 greys.
    enum Palette {
        static let levels: [UInt8] = [0, 51, 102, 153, 204, 255]
        static let table: [[UInt8]] = {
            var t: [[UInt8]] = []
            for r in levels { for g in levels { for b in levels { t.append([r, g, b]) } } }
            for i in 0..<40 { let v = UInt8(i * 255 / 39); t.append([v, v, v]) }
            return t
        }()

        static func index(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
            let hi = max(r, g, b), lo = min(r, g, b)
            if hi - lo < 12 {
                let mean: Int = (Int(r) + Int(g) + Int(b)) / 3
                return UInt8(216 + mean * 39 / 255)
            }
            func level(_ v: UInt8) -> Int { (Int(v) + 25) / 51 }
            let index: Int = level(r) * 36 + level(g) * 6 + level(b)
            return UInt8(index)
        }
    }
}
