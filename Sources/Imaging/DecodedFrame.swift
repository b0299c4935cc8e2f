/// One frame's stored values, decoded: `samples` interleaved by pixel (1 or 3 per pixel),
/// already sign-extended; `photometric` says what the samples are after decoding (a JPEG
/// decoder that converted YCbCr reports RGB).
public struct DecodedFrame: Sendable {
    public var width: Int
    public var height: Int
    public var samplesPerPixel: Int
    public var photometric: String
    public var samples: [Int32]

    public init(width: Int, height: Int, samplesPerPixel: Int, photometric: String, samples: [Int32]) {
        self.width = width
        self.height = height
        self.samplesPerPixel = samplesPerPixel
        self.photometric = photometric
        self.samples = samples
    }
}
