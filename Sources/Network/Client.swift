import DICOM
import Dispatch
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The requestor side of an association (SCU), with a blocking API for tools that send one
/// message after another: associate, C-ECHO, C-STORE, release. Built on the same PDU codec and
/// framing as the server (lengths checked before allocation); responses are awaited with a
/// timeout, and the peer's Maximum Length bounds every P-DATA-TF sent.
public final class DICOMClient: @unchecked Sendable {
    // `@unchecked Sendable`: used from one thread at a time (the caller's); the inbox it shares
    // with the event loop is locked.
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var calledAE: String
        public var callingAE = "DICOMFS"
        /// Maximum Length we advertise (and so the largest P-DATA-TF we accept).
        public var maxPDULength: UInt32 = 65_536
        /// Seconds to wait for a connection, an A-ASSOCIATE-AC or a response.
        public var timeout: Double = 60
        /// DICOM TLS: CA certificates to trust for the server; a client certificate and key.
        public var tlsCA: String?
        public var tlsCertificate: String?
        public var tlsKey: String?
        public init(host: String, port: Int, calledAE: String) {
            self.host = host
            self.port = port
            self.calledAE = calledAE
        }
    }

    /// What the association accepted: context ID → abstract syntax and transfer syntax.
    public struct Accepted: Sendable {
        public var contexts: [UInt8: (abstract: String, syntax: String)]
        public var peerMaxLength: Int
        public var implementationClassUID: String?
        public var implementationVersionName: String?

        /// The context for a SOP class that accepted one of `syntaxes` (in that order of
        /// preference), if any.
        public func context(for sopClass: String, syntaxes: [String]) -> (id: UInt8, syntax: String)? {
            for s in syntaxes {
                if let hit = contexts.first(where: { $0.value.abstract == sopClass && $0.value.syntax == s }) { return (hit.key, s) }
            }
            return nil
        }
    }

    public let options: Options
    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let inbox = Inbox()
    private var messageID: UInt16 = 0
    public private(set) var accepted: Accepted?

    public init(_ options: Options) {
        self.options = options
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    deinit {
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }

    private var peer: String { "\(options.calledAE)@\(options.host):\(options.port)" }

    /// Connects and negotiates; throws with the rejection's reason in words.
    @discardableResult
    public func associate(_ contexts: [ProposedContext]) throws -> Accepted {
        let inbox = self.inbox, max = Int(options.maxPDULength)
        let ssl: NIOSSLContext?
        if options.tlsCA != nil || options.tlsCertificate != nil {
            do {
                var config = TLSConfiguration.makeClientConfiguration()
                config.minimumTLSVersion = .tlsv12
                if let ca = options.tlsCA { config.trustRoots = .file(ca) }
                config.certificateVerification = options.tlsCA == nil ? .none : .noHostnameVerification
                if let cert = options.tlsCertificate, let key = options.tlsKey {
                    config.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                    config.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
                }
                ssl = try NIOSSLContext(configuration: config)
            } catch { throw NetworkError("TLS: the CA, certificate or key files are not readable PEM, or do not match") }
        } else {
            ssl = nil
        }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(options.timeout * 1000)))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let ssl { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: ssl, serverHostname: nil)) }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PDUFrameDecoder(maxPDataBody: max + 6)))
                    try channel.pipeline.syncOperations.addHandler(ClientInboundHandler(inbox: inbox))
                }
            }
        do { channel = try bootstrap.connect(host: options.host, port: options.port).wait() } catch {
            throw NetworkError("\(peer): cannot connect (\(NetworkError.reason(error)))")
        }
        var rq = Association()
        rq.calledAE = Association.aeField(options.calledAE)
        rq.callingAE = Association.aeField(options.callingAE)
        rq.proposed = contexts
        rq.maxLength = options.maxPDULength
        rq.implementationClassUID = Part10Writer.implementationClassUID
        rq.implementationVersionName = Part10Writer.implementationVersionName
        try send(PDUCodec.encode(.associateRQ(rq)))
        switch try next() {
        case .associateAC(let ac):
            var map: [UInt8: (String, String)] = [:]
            for a in ac.accepted where a.result == .acceptance {
                if let p = contexts.first(where: { $0.id == a.id }) { map[a.id] = (p.abstractSyntax, a.transferSyntax) }
            }
            let result = Accepted(contexts: map, peerMaxLength: ac.maxLength.map { $0 == 0 ? 1 << 20 : Int(min($0, 1 << 24)) } ?? 16_384,
                                  implementationClassUID: ac.implementationClassUID, implementationVersionName: ac.implementationVersionName)
            accepted = result
            return result
        case .associateRJ(let rj):
            throw NetworkError("\(peer) rejected the association: \(Self.describe(rj))")
        case .abort(let a):
            throw NetworkError("\(peer) aborted the association (source \(a.source), reason \(a.reason))")
        default:
            throw NetworkError("\(peer) answered the A-ASSOCIATE-RQ with something else")
        }
    }

    /// C-ECHO: the status.
    public func echo() throws -> UInt16 {
        guard let ctx = accepted?.contexts.first(where: { $0.value.abstract == ServerConfiguration.verification })?.key else {
            throw NetworkError("\(peer) did not accept the Verification SOP Class")
        }
        var c = Command()
        c.dataSet.set(.affectedSOPClassUID, .UI, ServerConfiguration.verification)
        c.dataSet.set(.commandField, .US, numbers: [Double(Command.Field.cEchoRQ.rawValue)])
        c.dataSet.set(.messageID, .US, numbers: [Double(nextMessageID())])
        c.dataSet.set(.commandDataSetType, .US, numbers: [Double(Command.noDataSet)])
        try sendMessage(c, data: nil, context: ctx)
        return try response().status ?? 0xFFFF
    }

    /// C-STORE of an encoded data set (in the context's transfer syntax): the response.
    public func store(_ dataSet: [UInt8], sopClass: String, sopInstance: String, context: UInt8) throws -> Command {
        var c = Command()
        c.dataSet.set(.affectedSOPClassUID, .UI, sopClass)
        c.dataSet.set(.commandField, .US, numbers: [Double(Command.Field.cStoreRQ.rawValue)])
        c.dataSet.set(.messageID, .US, numbers: [Double(nextMessageID())])
        c.dataSet.set(.priority, .US, numbers: [0])
        c.dataSet.set(.commandDataSetType, .US, numbers: [0])
        c.dataSet.set(.affectedSOPInstanceUID, .UI, sopInstance)
        try sendMessage(c, data: dataSet, context: context)
        return try response()
    }

    /// A-RELEASE; the connection is closed either way.
    public func release() {
        defer { try? channel?.close().wait(); channel = nil }
        guard channel != nil else { return }
        try? send(PDUCodec.encode(.releaseRQ))
        _ = try? next(timeout: 10)
    }

    public func abort() {
        try? send(PDUCodec.encode(.abort(.user)))
        try? channel?.close().wait()
        channel = nil
    }

    // MARK: Plumbing

    private func nextMessageID() -> UInt16 {
        messageID &+= 1
        if messageID == 0 { messageID = 1 }
        return messageID
    }

    private func send(_ bytes: [UInt8]) throws {
        guard let channel else { throw NetworkError("\(peer): not connected") }
        do { try channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).wait() } catch {
            throw NetworkError("\(peer): the connection failed while sending (\(NetworkError.reason(error)))")
        }
    }

    /// Command then data, fragmented to the peer's Maximum Length, never in one PDU together.
    /// Every PDU of the message goes to the channel in one write, not awaited: a write that
    /// fails closes the connection, and the response that is awaited next reports it (one
    /// hand-off to the event loop per message instead of one wait per PDU).
    private func sendMessage(_ command: Command, data: [UInt8]?, context: UInt8) throws {
        guard let channel else { throw NetworkError("\(peer): not connected") }
        let room = max(16, (accepted?.peerMaxLength ?? 16_384) - 12)
        let parts = [(try command.encoded(), true)] + (data.map { [($0, false)] } ?? [])
        var buffer = channel.allocator.buffer(capacity: parts.reduce(0) { $0 + $1.0.count + 12 * ($1.0.count / room + 1) })
        for (bytes, isCommand) in parts {
            var start = 0
            repeat {
                let end = min(bytes.count, start + room)
                buffer.writeBytes(PDUCodec.encode(.pData([PDV(contextID: context, isCommand: isCommand, isLast: end == bytes.count, fragment: Array(bytes[start..<end]))])))
                start = end
            } while start < bytes.count
        }
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// The next response command (a data set after it, if any, is read and dropped).
    private func response() throws -> Command {
        var commandBytes: [UInt8] = []
        var command: Command?
        while true {
            guard case .pData(let pdvs) = try next() else { throw NetworkError("\(peer) sent something other than P-DATA while a response was due") }
            for p in pdvs {
                if p.isCommand {
                    commandBytes += p.fragment
                    if p.isLast {
                        let decoded = try Command.decode(commandBytes)
                        if !decoded.hasDataSet { return decoded }
                        command = decoded
                    }
                } else if p.isLast, let command {
                    return command
                }
            }
        }
    }

    private func next(timeout: Double? = nil) throws -> PDU {
        guard let raw = inbox.take(timeout: timeout ?? options.timeout) else {
            throw NetworkError("\(peer): no answer within \(Int(timeout ?? options.timeout)) s")
        }
        switch raw {
        case .success(let r): return try PDUCodec.decode(type: r.type, body: r.body)
        case .failure(let e): throw NetworkError("\(peer): \(e)")
        }
    }

    static func describe(_ rj: AssociationRejection) -> String {
        let permanence = rj.result == 2 ? "transient" : "permanent"
        let reason: String
        switch (rj.source, rj.reason) {
        case (1, 2): reason = "application context name not supported"
        case (1, 3): reason = "calling AE title not recognized"
        case (1, 7): reason = "called AE title not recognized"
        case (2, 2): reason = "protocol version not supported"
        case (3, 1): reason = "temporary congestion"
        case (3, 2): reason = "local limit exceeded"
        default: reason = "no reason given"
        }
        return "\(reason) (\(permanence))"
    }
}

/// PDUs (or the failure) handed from the event loop to the waiting caller.
final class Inbox: @unchecked Sendable {
    // `@unchecked Sendable`: `items` and `closed` are touched under the condition's mutex only.
    private var items: [Result<RawPDU, NetworkError>] = []
    private var closed = false
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    init() { pthread_mutex_init(&mutex, nil); pthread_cond_init(&cond, nil) }
    deinit { pthread_cond_destroy(&cond); pthread_mutex_destroy(&mutex) }

    func put(_ r: Result<RawPDU, NetworkError>) {
        pthread_mutex_lock(&mutex); items.append(r); pthread_cond_signal(&cond); pthread_mutex_unlock(&mutex)
    }
    func close() {
        pthread_mutex_lock(&mutex); closed = true; pthread_cond_signal(&cond); pthread_mutex_unlock(&mutex)
    }
    func take(timeout: Double) -> Result<RawPDU, NetworkError>? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        deadline.tv_sec += Int(timeout)
        while items.isEmpty && !closed {
            if pthread_cond_timedwait(&cond, &mutex, &deadline) == ETIMEDOUT { break }
        }
        if !items.isEmpty { return items.removeFirst() }
        return closed ? .failure(NetworkError("the peer closed the connection")) : nil
    }
}

final class ClientInboundHandler: ChannelInboundHandler {
    typealias InboundIn = RawPDU
    let inbox: Inbox
    init(inbox: Inbox) { self.inbox = inbox }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { inbox.put(.success(unwrapInboundIn(data))) }
    func channelInactive(context: ChannelHandlerContext) { inbox.close() }
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        inbox.put(.failure(NetworkError(NetworkError.reason(error))))
        context.close(promise: nil)
    }
}
