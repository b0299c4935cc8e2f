import NIOCore

/// A PDU as framed off the wire: its type and body, not yet decoded.
public struct RawPDU: Sendable {
    public var type: UInt8
    public var body: [UInt8]
}

/// Cuts the byte stream into PDUs. The 6-byte header's length (unsigned, big-endian) is
/// checked against the limit for its type *before* any of the body is waited for, so a peer
/// that announces 4 GB is aborted, not given an allocation: P-DATA-TF up to the Maximum
/// Length we advertised, association PDUs up to `PDUCodec.maxAssociationBody`, the others
/// exactly 4 bytes.
struct PDUFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = RawPDU
    let maxPDataBody: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes >= 6,
              let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length32 = buffer.getInteger(at: buffer.readerIndex + 2, endianness: .big, as: UInt32.self) else { return .needMoreData }
        let length = Int(length32)
        try PDUCodec.checkHeader(type: type, length: length, maxPDataBody: maxPDataBody)
        guard buffer.readableBytes >= 6 + length else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 6)
        let body = buffer.readBytes(length: length) ?? []
        context.fireChannelRead(wrapInboundOut(RawPDU(type: type, body: body)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
