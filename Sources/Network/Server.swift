import DICOM
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// DICOM TLS (PS3.15 Annex B.12: TLS 1.2 mandatory, 1.3 preferred; TLS 1.2 limited to the
/// ECDHE AES-GCM suites of the non-downgrading BCP 195 profile). With `trustedCA`, a client
/// must present a certificate it signed. A TLS port never falls back to plain text.
public struct TLSSettings: Sendable {
    public var certificate: String
    public var key: String
    public var trustedCA: String?
    public init(certificate: String, key: String, trustedCA: String? = nil) {
        self.certificate = certificate
        self.key = key
        self.trustedCA = trustedCA
    }

    func context() throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: self.key, format: .pem)
            var config = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            config.minimumTLSVersion = .tlsv12
            config.cipherSuites = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
            if let ca = trustedCA {
                config.trustRoots = .file(ca)
                config.certificateVerification = .noHostnameVerification
            } else {
                config.certificateVerification = .none
            }
            return try NIOSSLContext(configuration: config)
        } catch {
            throw NetworkError("TLS: cannot use certificate \(certificate), key \(key)\(trustedCA.map { ", CA " + $0 } ?? ""): they are not readable PEM, or do not match")
        }
    }
}

/// A DICOM SCP listening on one address: Verification, Storage into a `StorageSink`, and the
/// normalized services given. Owns its event loops; `stop` ends every association (an
/// instance not yet complete is discarded, never left half-written) and closes the port.
public final class DICOMServer: @unchecked Sendable {
    // `@unchecked Sendable`: `channel` is set once by `start` before any other call, and the
    // rest is immutable.
    public let configuration: ServerConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let sink: StorageSink?
    private let services: [NormalizedService]
    private let logger: Logger
    private let counter = AssociationCounter()
    private let children = ChildChannels()
    private var channel: Channel?

    private let tls: TLSSettings?

    public init(configuration: ServerConfiguration, storage: StorageSink?, services: [NormalizedService] = [], logger: Logger,
                threads: Int = 2, tls: TLSSettings? = nil) {
        self.tls = tls
        var config = configuration
        for s in services { config.extraAbstractSyntaxes.formUnion(s.sopClassUIDs) }
        config.acceptsStorage = storage != nil
        self.configuration = config
        self.sink = storage
        self.services = services
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    }

    /// Binds and starts accepting; returns the port (useful with port 0).
    @discardableResult
    public func start(host: String, port: Int) throws -> Int {
        let config = configuration, sink = self.sink, services = self.services, logger = self.logger
        let counter = self.counter, children = self.children
        let ssl = try tls?.context()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                children.add(channel)
                channel.closeFuture.whenComplete { _ in children.remove(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    if let ssl { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: ssl)) }
                    let idle = TimeAmount.milliseconds(Int64(config.idleSeconds * 1000))
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(PDUFrameDecoder(maxPDataBody: Int(config.maxPDULength) + 6)))
                    try channel.pipeline.syncOperations.addHandler(
                        AssociationHandler(config: config, sink: sink, services: services, logger: logger, counter: counter))
                }
            }
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch let e as IOError {
            throw NetworkError("cannot listen on \(host) port \(port): \(systemErrorText(e.errnoCode))")
        } catch {
            throw NetworkError("cannot listen on \(host) port \(port): the address cannot be used")
        }
        let bound = channel?.localAddress?.port ?? port
        logger.info("listening", metadata: ["host": "\(host)", "port": "\(bound)", "ae": "\(config.aeTitles.sorted().joined(separator: ","))",
                                            "tls": "\(tls == nil ? "no" : "yes")"])
        return bound
    }

    /// Associations open now.
    public var activeAssociations: Int { counter.current }

    /// Stops accepting, closes every association (instances not complete are discarded; the
    /// ones answered are on disk), and releases the event loops.
    public func stop() {
        try? channel?.close().wait()
        for c in children.all { try? c.close().wait() }
        try? group.syncShutdownGracefully()
        logger.info("stopped")
    }
}

public struct NetworkError: DescribedError, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// What a lower layer's error means, in words for a user: the system's text for an errno,
    /// TLS and channel failures named, never a library's own description.
    static func reason(_ error: Error) -> String {
        switch error {
        case let e as NetworkError: return e.description
        case let e as StoreFailure: return e.comment
        case let e as IOError: return systemErrorText(e.errnoCode)
        case let e as ChannelError:
            switch e {
            case .connectTimeout: return "no connection within the time allowed"
            case .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed, .eof: return "the connection was closed"
            default: return "the connection failed"
            }
        case is NIOSSLError: return "the TLS handshake or certificate check failed"
        case is NIOConnectionError: return "connection refused or unreachable"
        case is SocketAddressError: return "the address cannot be resolved"
        default: return "the connection failed"
        }
    }
}

/// The child channels open now, for `stop`.
final class ChildChannels: @unchecked Sendable {
    // `@unchecked Sendable`: the dictionary is touched under `lock` only.
    private let lock = NSLockLike()
    private var channels: [ObjectIdentifier: Channel] = [:]
    func add(_ c: Channel) { lock.lock(); channels[ObjectIdentifier(c)] = c; lock.unlock() }
    func remove(_ c: Channel) { lock.lock(); channels[ObjectIdentifier(c)] = nil; lock.unlock() }
    var all: [Channel] { lock.lock(); defer { lock.unlock() }; return Array(channels.values) }
}
