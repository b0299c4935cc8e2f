import SystemZlib

/// Inflates the raw deflate stream of a Deflated Explicit VR Little Endian data set (PS3.5 §A.5).
///
/// Output is capped: deflate cannot exceed about 1032:1, so anything beyond that (or beyond
/// `limit`) is a bomb, refused before it exhausts memory.
func inflateRaw(_ input: [UInt8], limit: Int = 1 << 32) throws -> [UInt8] {
    let cap = min(limit, max(1 << 20, input.count.multipliedReportingOverflow(by: 1040).overflow ? limit : input.count * 1040))
    var stream = z_stream()
    guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw DICOMError(.io, "zlib could not be initialised")
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    output.reserveCapacity(min(cap, input.count * 4))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = input
    let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
        stream.next_in = inBuf.baseAddress
        stream.avail_in = uInt(inBuf.count)
        while true {
            let rc: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            if output.count + produced > cap { return Z_MEM_ERROR }
            output.append(contentsOf: chunk[0..<produced])
            if rc == Z_STREAM_END { return Z_STREAM_END }
            if rc == Z_BUF_ERROR && stream.avail_in == 0 { return Z_BUF_ERROR }
            if rc != Z_OK { return rc }
        }
    }
    switch status {
    case Z_STREAM_END: return output
    case Z_BUF_ERROR: throw DICOMError(.truncated, "deflated data set ends before the deflate stream does (after \(output.count) inflated bytes)")
    case Z_MEM_ERROR: throw DICOMError(.invalidLength, "deflated data set inflates past \(cap) bytes: refused as a decompression bomb")
    default: throw DICOMError(.invalidEncoding, "deflated data set is not a valid deflate stream (zlib error \(status))")
    }
}

/// Compresses a data set for Deflated Explicit VR Little Endian (used by tests and writers).
public func deflateRaw(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    guard deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                        Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
    var input = input
    let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            stream.next_out = outBuf.baseAddress
            stream.avail_out = uInt(outBuf.count)
            _ = deflate(&stream, Z_FINISH)
            return outBuf.count - Int(stream.avail_out)
        }
    }
    return Array(output[0..<produced])
}
