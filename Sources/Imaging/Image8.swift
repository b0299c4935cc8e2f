/// An 8-bit image ready to show or encode: grey (1 channel) or RGB (3), rows top to bottom.
public struct Image8: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Scaled so the longer side is at most `longSide` (area averaging; never enlarged).
    public func fitted(longSide: Int) -> Image8 {
        let scale = Double(longSide) / Double(max(width, height))
        guard scale < 1 else { return self }
        return resized(width: max(1, Int((Double(width) * scale).rounded())), height: max(1, Int((Double(height) * scale).rounded())))
    }

    /// Area-averaging resize: each output pixel is the mean of the source pixels it covers.
    public func resized(width w: Int, height h: Int) -> Image8 {
        var out = [UInt8](repeating: 0, count: w * h * channels)
        for y in 0..<h {
            let y0 = y * height / h, y1 = max(y0 + 1, (y + 1) * height / h)
            for x in 0..<w {
                let x0 = x * width / w, x1 = max(x0 + 1, (x + 1) * width / w)
                for c in 0..<channels {
                    var sum = 0
                    for sy in y0..<y1 { for sx in x0..<x1 { sum += Int(pixels[(sy * width + sx) * channels + c]) } }
                    out[(y * w + x) * channels + c] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
                }
            }
        }
        return Image8(width: w, height: h, channels: channels, pixels: out)
    }

    /// Fitted into a `size` × `size` square, centred, the rest filled with `background`
    /// (PS3.3 F.7: icons keep the aspect ratio).
    public func letterboxed(size: Int, background: UInt8 = 0) -> Image8 {
        let fitted = self.resizedToFit(size)
        var out = [UInt8](repeating: background, count: size * size * channels)
        let ox = (size - fitted.width) / 2, oy = (size - fitted.height) / 2
        for y in 0..<fitted.height {
            for x in 0..<fitted.width {
                for c in 0..<channels {
                    out[((y + oy) * size + x + ox) * channels + c] = fitted.pixels[(y * fitted.width + x) * channels + c]
                }
            }
        }
        return Image8(width: size, height: size, channels: channels, pixels: out)
    }

    private func resizedToFit(_ size: Int) -> Image8 {
        let scale = Double(size) / Double(max(width, height))
        let w = max(1, min(size, Int((Double(width) * scale).rounded())))
        let h = max(1, min(size, Int((Double(height) * scale).rounded())))
        return scale < 1 ? resized(width: w, height: h) : enlarged(width: w, height: h)
    }

    /// Nearest-neighbour enlargement (small images into larger icons).
    private func enlarged(width w: Int, height h: Int) -> Image8 {
        var out = [UInt8](repeating: 0, count: w * h * channels)
        for y in 0..<h { for x in 0..<w { for c in 0..<channels {
            out[(y * w + x) * channels + c] = pixels[((y * height / h) * width + x * width / w) * channels + c]
        } } }
        return Image8(width: w, height: h, channels: channels, pixels: out)
    }
}
