import DICOM
import CCodecs
import Foundation

/// Encapsulated frames decoded by the real libraries (libjpeg-turbo, OpenJPEG, CharLS) through
/// the C wrappers in CCodecs.
enum LibraryDecoders {
    enum Codec { case jpeg, jpeg12, jpeg2000, jpegLS }

    /// One library call on its own thread, so that a decoder that loops on a damaged stream
    /// (CharLS 2.4.1, Debian 12's, spends tens of seconds on some crafted 60-byte frames;
    /// fixed upstream in 2.4.3) cannot hang the caller: past its time the call is abandoned
    /// with an error. `@unchecked Sendable`: the worker thread alone writes `image`, `error`
    /// and `rc` before it signals `done`; the caller reads them only after that signal, and a
    /// call given up on is never read (the box then lives on with the worker).
    private final class Call: @unchecked Sendable {
        let frame: [UInt8]
        let codec: Codec
        let keepRGB: Bool
        var image = dicomfs_image()
        var error = [CChar](repeating: 0, count: 256)
        var rc: Int32 = -1
        let done = DispatchSemaphore(value: 0)

        init(_ frame: [UInt8], _ codec: Codec, keepRGB: Bool) {
            self.frame = frame
            self.codec = codec
            self.keepRGB = keepRGB
        }

        func run() {
            rc = frame.withUnsafeBufferPointer { buf in
                guard let base = buf.baseAddress else { return -1 }
                switch codec {
                // YBR_FULL_422 / YBR_FULL in the header: let libjpeg convert to RGB. RGB: keep
                // the samples as coded (some writers store RGB without a colour transform).
                case .jpeg: return dicomfs_jpeg_decode(base, buf.count, keepRGB ? 1 : 0, &image, &error)
                case .jpeg12: return dicomfs_jpeg12_decode(base, buf.count, &image, &error)
                case .jpeg2000: return dicomfs_j2k_decode(base, buf.count, &image, &error)
                case .jpegLS: return dicomfs_jpegls_decode(base, buf.count, &image, &error)
                }
            }
            done.signal()
        }
    }

    static func decode(_ frame: [UInt8], codec: Codec, _ d: PixelDescription) throws -> DecodedFrame {
        try CodestreamHeader.check(frame, codec: codec, d)
        let call = Call(frame, codec, keepRGB: d.photometric == "RGB")
        Thread.detachNewThread { call.run() }
        // Generous for any real frame: 2 s plus 20 MB of output a second.
        let seconds = 2 + Double(d.pixelsPerFrame * d.samplesPerPixel * max(1, d.bitsAllocated / 8)) / 20e6
        guard call.done.wait(timeout: .now() + seconds) == .success else {
            throw ImagingError("the \(codec) decoder did not finish within \(Int(seconds)) s; the frame is damaged (it was given up on)")
        }
        var image = call.image
        let rc = call.rc, error = call.error
        defer { dicomfs_free(image.data); image.data = nil }
        guard rc == 0, let data = image.data else {
            throw ImagingError(frame.isEmpty ? "empty frame" : String(cBuffer: error))
        }
        let n = Int(image.components), w = Int(image.width), h = Int(image.height), bits = Int(image.bits)
        guard w == d.columns, h == d.rows, n == d.samplesPerPixel else {
            throw ImagingError("the codestream is \(w) × \(h) × \(n) but the header says \(d.columns) × \(d.rows) × \(d.samplesPerPixel)")
        }
        let count = w * h * n
        var samples = [Int32](repeating: 0, count: count)
        let signed = d.isSigned
        let storedBits = min(bits, d.bitsStored)
        let mask = storedBits >= 32 ? -1 : (1 << storedBits) - 1
        let signBit = 1 << (storedBits - 1)
        for i in 0..<count {
            var v = bits > 8 ? Int(data[2 * i]) | Int(data[2 * i + 1]) << 8 : Int(data[i])
            if image.is_signed != 0 && bits > 8 { v = Int(Int16(truncatingIfNeeded: v)) } else if signed {
                v &= mask
                if v & signBit != 0 { v -= 1 << storedBits }
            }
            samples[i] = Int32(v)
        }
        // libjpeg converted YCbCr to RGB; JPEG 2000 with a colour transform (MCT) is RGB out of
        // OpenJPEG too (YBR_ICT / YBR_RCT in the header).
        var photometric = d.photometric
        if codec == .jpeg && n == 3 && photometric != "RGB" { photometric = "RGB" }
        if codec == .jpeg12 && n == 3 && photometric.hasPrefix("YBR") { photometric = "YBR_FULL" }
        if codec == .jpeg2000 && (photometric == "YBR_ICT" || photometric == "YBR_RCT") { photometric = "RGB" }
        return DecodedFrame(width: w, height: h, samplesPerPixel: n, photometric: photometric, samples: samples)
    }
}

