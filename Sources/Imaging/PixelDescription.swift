import DICOM
import Foundation

/// Why an image cannot be rendered; names the attribute or codec and what was expected.
public struct ImagingError: DescribedError, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The Image Pixel module attributes (PS3.3 C.7.6.3) that say how to read Pixel Data.
public struct PixelDescription: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var samplesPerPixel: Int
    public var bitsAllocated: Int
    public var bitsStored: Int
    public var highBit: Int
    public var isSigned: Bool
    public var photometric: String
    /// 0: samples interleaved by pixel; 1: one plane per sample.
    public var planarConfiguration: Int
    public var frames: Int

    public var pixelsPerFrame: Int { rows * columns }
    public var isColor: Bool { samplesPerPixel == 3 || photometric == "PALETTE COLOR" }

    public init(_ ds: DataSet) throws {
        guard let rows = ds.int(.rows), let columns = ds.int(.columns), rows > 0, columns > 0 else {
            throw ImagingError("Rows (0028,0010) and Columns (0028,0011) must be present and positive")
        }
        guard rows <= 65_535, columns <= 65_535 else { throw ImagingError("Rows × Columns \(rows) × \(columns) is out of range") }
        self.rows = rows
        self.columns = columns
        samplesPerPixel = ds.int(.samplesPerPixel) ?? 1
        bitsAllocated = ds.int(.bitsAllocated) ?? 0
        bitsStored = ds.int(.bitsStored) ?? bitsAllocated
        highBit = ds.int(.highBit) ?? (bitsStored - 1)
        isSigned = ds.int(.pixelRepresentation) == 1
        photometric = (ds.string(.photometricInterpretation) ?? "MONOCHROME2").trimmingCharacters(in: .whitespaces).uppercased()
        planarConfiguration = ds.int(.planarConfiguration) ?? 0
        frames = max(1, ds.int(.numberOfFrames) ?? 1)
        guard [1, 8, 16, 32].contains(bitsAllocated) else {
            throw ImagingError("Bits Allocated (0028,0100) is \(bitsAllocated); 1, 8, 16 or 32 expected")
        }
        guard bitsStored >= 1, bitsStored <= bitsAllocated, highBit >= bitsStored - 1, highBit < bitsAllocated else {
            throw ImagingError("Bits Stored \(bitsStored) / High Bit \(highBit) do not fit Bits Allocated \(bitsAllocated)")
        }
        guard samplesPerPixel == 1 || samplesPerPixel == 3 else {
            throw ImagingError("Samples per Pixel (0028,0002) is \(samplesPerPixel); 1 or 3 expected")
        }
        guard frames <= 100_000 else { throw ImagingError("Number of Frames \(frames) is out of range") }
    }
}
