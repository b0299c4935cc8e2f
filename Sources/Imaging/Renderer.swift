import DICOM

/// Renders a frame of an image instance to 8-bit grey or RGB: decode, then the display
/// pipeline. The one entry point the icons, the web pages and the CLI use.
public enum Renderer {
    public struct Options: Sendable {
        public var window: WindowChoice = .fromFile(index: 0)
        /// Scale down so the longer side is at most this (nil: full size).
        public var maxLongSide: Int?
        public init() {}
    }

    public static func render(_ file: DICOMFile, frame: Int = 0, options: Options = Options()) throws -> Image8 {
        let access = try PixelDataAccess(file)
        let decoded = try access.frame(frame)
        var image = try DisplayPipeline(file.dataSet, window: options.window).render(decoded)
        if let side = options.maxLongSide { image = image.fitted(longSide: side) }
        return image
    }

    /// The frame that represents a multi-frame image: Representative Frame Number
    /// (0028,6010) when present, else one third through (PS3.3 F.7 leaves the choice open).
    public static func representativeFrame(_ ds: DataSet) -> Int {
        let frames = max(1, ds.int(.numberOfFrames) ?? 1)
        if let n = ds.int(Tag(0x0028, 0x6010)), n >= 1, n <= frames { return n - 1 }
        return frames / 3
    }
}
