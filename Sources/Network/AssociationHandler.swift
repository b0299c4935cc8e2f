import DICOM
import Dispatch
import Logging
import NIOCore

/// Hooks a server gives each association: counting, and what a normalized service answers.
public protocol NormalizedService: Sendable {
    var sopClassUIDs: Set<String> { get }
    /// Answers an N-CREATE, N-ACTION, N-GET … request: the response command (from
    /// `Command.response`) and the data set to send with it, if any. Runs on the
    /// association's I/O queue, so it may block.
    func handle(_ request: Command, dataSet: DataSet?, association: AssociationInfo) -> (Command, DataSet?)
}

/// Who is on the other end of an established association.
public struct AssociationInfo: Sendable {
    public var callingAE: String
    public var calledAE: String
    public var peer: String
}

/// The acceptor side of one association (PS3.8 §9.2 state machine, as an SCP needs it):
/// ARTIM until the A-ASSOCIATE-RQ, negotiation, P-DATA reassembly with the PS3.8 Annex E
/// rules enforced (one message at a time, command before data, one context per message),
/// responses fragmented to the peer's Maximum Length with command and data never in one
/// PDU, release, abort. Storage I/O runs on a serial queue per association, in message order;
/// a response is written only after its instance is durable.
final class AssociationHandler: ChannelInboundHandler {
    typealias InboundIn = RawPDU
    typealias OutboundOut = ByteBuffer

    private enum State { case awaitingRequest, established, releasing, closed }

    /// The message being received.
    private enum Receiving {
        case store(StoreSlot, bytes: Int)
        case buffered([UInt8])
        case discard
    }

    private let config: ServerConfiguration
    private let sink: StorageSink?
    private let services: [NormalizedService]
    private let logger: Logger
    private let counter: AssociationCounter
    private let io: DispatchQueue
    /// Blocks given to `io` and not yet back on the event loop (touched on the event loop only).
    private var ioWork = 0

    private var state = State.awaitingRequest
    private var context: ChannelHandlerContext?
    private var artim: Scheduled<Void>?
    private var info = AssociationInfo(callingAE: "", calledAE: "", peer: "")
    private var contexts: [UInt8: (abstract: String, syntax: String)] = [:]
    private var peerMax = 16_384
    private var commandBytes: [UInt8] = []
    private var commandContext: UInt8?
    private var current: (command: Command, context: UInt8, receiving: Receiving)?
    private var inFlight = 0
    /// Fragments of the instance being received, kept here until they make `batchBytes` (or
    /// the instance is complete), then handed to the I/O queue in one go: a small instance
    /// costs one hand-off to the queue and one back, not one per fragment.
    private var pending: [[UInt8]] = []
    private var pendingBytes = 0
    static let batchBytes = 1 << 20
    private var paused = false
    private var counted = false

    init(config: ServerConfiguration, sink: StorageSink?, services: [NormalizedService], logger: Logger, counter: AssociationCounter) {
        self.config = config
        self.sink = sink
        self.services = services
        self.logger = logger
        self.counter = counter
        io = DispatchQueue(label: "dicomfs.association.io")
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        info.peer = context.channel.remoteAddress?.ipAddress ?? "?"
    }

    func channelActive(context: ChannelHandlerContext) {
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        artim = context.eventLoop.scheduleTask(in: .milliseconds(Int64(config.artimSeconds * 1000))) {
            let me = bound.value
            guard me.state == .awaitingRequest else { return }
            me.logger.info("no A-ASSOCIATE-RQ within the ARTIM time; connection closed", metadata: ["peer": "\(me.info.peer)"])
            me.close()
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        artim?.cancel()
        pending = []
        if case .store(let slot, _)? = current?.receiving {
            io.async { slot.abandon() }   // cut off: the part written is removed, no answer was given
            logger.warning("association ended in the middle of an instance; its part was discarded", metadata: ["peer": "\(info.peer)"])
        }
        current = nil
        state = .closed
        if counted { counter.leave(); counted = false }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent, state != .closed {
            logger.warning("no data for \(config.idleSeconds) s; association aborted", metadata: ["peer": "\(info.peer)", "calling": "\(info.callingAE)"])
            abort(.notSpecified)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let e = error as? PDUError {
            logger.warning("malformed PDU: \(e); association aborted", metadata: ["peer": "\(info.peer)"])
            abort(e.abort)
        } else if let e = error as? ByteToMessageDecoderError, case .leftoverDataWhenDone = e {
            close()
        } else {
            logger.warning("connection error: \(NetworkError.reason(error))", metadata: ["peer": "\(info.peer)"])
            close()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let raw = unwrapInboundIn(data)
        let pdu: PDU
        do { pdu = try PDUCodec.decode(type: raw.type, body: raw.body) } catch let e as PDUError {
            errorCaught(context: context, error: e)
            return
        } catch {
            abort(.notSpecified)
            return
        }
        switch (state, pdu) {
        case (.awaitingRequest, .associateRQ(let rq)):
            artim?.cancel()
            associate(rq)
        case (.established, .pData(let pdvs)):
            for pdv in pdvs where state == .established { receive(pdv) }
        case (.established, .releaseRQ):
            state = .releasing
            // Answered after every message before it has been answered.
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let sink = self.sink
            io.async {
                // A released association's instances are files in their folders.
                sink?.filed()
                bound.execute { me in
                    me.write(PDUCodec.encode(.releaseRP), flush: true)
                    me.close()
                }
            }
        case (_, .abort(let a)):
            logger.info("peer aborted the association (source \(a.source), reason \(a.reason))", metadata: ["peer": "\(info.peer)"])
            close()
        case (.releasing, .pData):
            break   // nothing more is taken after A-RELEASE-RQ
        default:
            logger.warning("unexpected \(pdu.name) in state \(state); association aborted", metadata: ["peer": "\(info.peer)"])
            abort(.unexpectedPDU)
        }
    }

    // MARK: Association

    private func associate(_ rq: Association) {
        info.callingAE = rq.callingAETitle
        info.calledAE = rq.calledAETitle
        let busy = !counter.enter(limit: config.maxAssociations)
        if !busy { counted = true }
        switch Negotiation.answer(rq, peer: info.peer, config: config, busy: busy) {
        case .failure(let rj):
            if counted { counter.leave(); counted = false }
            logger.notice("association rejected (result \(rj.result), source \(rj.source), reason \(rj.reason))",
                          metadata: ["peer": "\(info.peer)", "calling": "\(info.callingAE)", "called": "\(info.calledAE)"])
            write(PDUCodec.encode(.associateRJ(rj)), flush: true)
            close()
        case .success(let ac):
            for (p, a) in zip(rq.proposed, ac.accepted) where a.result == .acceptance { contexts[p.id] = (p.abstractSyntax, a.transferSyntax) }
            // The peer's Maximum Length bounds our P-DATA-TF PDUs; 0 is "no limit".
            peerMax = rq.maxLength.map { $0 == 0 ? 1 << 20 : Int(min($0, 1 << 24)) } ?? 16_384
            state = .established
            logger.info("association accepted: \(contexts.count) of \(rq.proposed.count) presentation contexts",
                        metadata: ["peer": "\(info.peer)", "calling": "\(info.callingAE)", "called": "\(info.calledAE)"])
            write(PDUCodec.encode(.associateAC(ac)), flush: true)
        }
    }

    // MARK: Messages

    private func receive(_ pdv: PDV) {
        if pdv.isCommand {
            guard current == nil else { return abort(.unexpectedPDU, "a command fragment while a data set was expected (PS3.8 Annex E: no interleaving)") }
            if let c = commandContext, c != pdv.contextID { return abort(.unexpectedPDU, "command fragments on two presentation contexts") }
            guard contexts[pdv.contextID] != nil else { return abort(.unexpectedPDU, "presentation context \(pdv.contextID) was not accepted") }
            commandContext = pdv.contextID
            commandBytes += pdv.fragment
            guard commandBytes.count <= 1 << 16 else { return abort(.invalidParameter, "a command set longer than 64 KB") }
            if pdv.isLast {
                let bytes = commandBytes, ctx = pdv.contextID
                commandBytes = []
                commandContext = nil
                guard let command = try? Command.decode(bytes) else { return abort(.invalidParameter, "a command set that does not decode") }
                begin(command, context: ctx)
            }
            return
        }
        guard let cur = current, commandContext == nil, let context else { return abort(.unexpectedPDU, "a data fragment without its command") }
        guard pdv.contextID == cur.context else { return abort(.unexpectedPDU, "a data fragment on another presentation context than its command") }
        switch cur.receiving {
        case .store(let slot, let bytes):
            let n = pdv.fragment.count
            current?.receiving = .store(slot, bytes: bytes + n)
            track(n)
            pending.append(pdv.fragment)
            pendingBytes += n
            if pendingBytes >= Self.batchBytes && !pdv.isLast { flushPending(slot, context: context) }
        case .buffered(let b):
            guard b.count + pdv.fragment.count <= 1 << 26 else { return abort(.invalidParameter, "a data set for a normalized service larger than 64 MB") }
            current?.receiving = .buffered(b + pdv.fragment)
        case .discard:
            break
        }
        if pdv.isLast { complete() }
    }

    private func begin(_ command: Command, context ctx: UInt8) {
        guard let field = command.field else { return abort(.invalidParameter, "a command set without Command Field") }
        logger.trace("command \(String(field, radix: 16)) on context \(ctx), data set: \(command.hasDataSet)", metadata: ["peer": "\(info.peer)"])
        let syntax = contexts[ctx]?.syntax ?? TransferSyntax.implicitVRLittleEndian.uid
        switch field {
        case Command.Field.cStoreRQ.rawValue:
            guard command.hasDataSet, let sink else {
                current = (command, ctx, .discard)
                if !command.hasDataSet { complete() }
                return
            }
            let request = StoreRequest(sopClassUID: command.affectedSOPClassUID ?? "", sopInstanceUID: command.affectedSOPInstanceUID ?? "",
                                       transferSyntaxUID: syntax, callingAE: info.callingAE, calledAE: info.calledAE)
            current = (command, ctx, .store(StoreSlot(request, sink: sink), bytes: 0))
        case Command.Field.cCancelRQ.rawValue:
            return
        default:
            current = (command, ctx, command.hasDataSet ? .buffered([]) : .discard)
            if !command.hasDataSet { complete() }
        }
    }

    /// Hands the fragments kept so far to the I/O queue (the slot begins its file first).
    private func flushPending(_ slot: StoreSlot, context: ChannelHandlerContext) {
        let fragments = pending, n = pendingBytes
        pending = []
        pendingBytes = 0
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        ioWork += 1
        io.async {
            for f in fragments { slot.append(f) }
            bound.execute { $0.track(-n); $0.ioWork -= 1 }
        }
    }

    /// The message is in: answer it (after the I/O queue has done everything before it).
    private func complete() {
        guard let (command, ctx, receiving) = current, let context else { return }
        current = nil
        let (rest, restBytes) = (pending, pendingBytes)
        pending = []
        pendingBytes = 0
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let info = self.info, services = self.services
        let syntax = contexts[ctx]?.syntax ?? TransferSyntax.implicitVRLittleEndian.uid
        let abstract = contexts[ctx]?.abstract ?? ""
        let logger = self.logger
        let work: @Sendable () -> (command: [UInt8], data: [UInt8]?) = {
            var response: Command
            var data: DataSet?
            switch (command.field, receiving) {
            case (Command.Field.cEchoRQ.rawValue, _):
                response = Command.response(to: command, field: .cEchoRSP, status: Status.success)
                response.dataSet.set(.affectedSOPClassUID, .UI, command.affectedSOPClassUID ?? ServerConfiguration.verification)
            case (Command.Field.cStoreRQ.rawValue, .store(let slot, _)):
                for f in rest { slot.append(f) }
                let outcome = slot.finish()
                response = Command.response(to: command, field: .cStoreRSP, status: outcome.status)
                response.dataSet.set(.affectedSOPClassUID, .UI, command.affectedSOPClassUID ?? "")
                response.dataSet.set(.affectedSOPInstanceUID, .UI, command.affectedSOPInstanceUID ?? "")
                if let c = outcome.comment { response.dataSet.set(.errorComment, .LO, String(c.prefix(64))) }
                logger.debug("C-STORE \(command.affectedSOPInstanceUID ?? "?"): status \(String(outcome.status, radix: 16))",
                             metadata: ["calling": "\(info.callingAE)"])
            case (Command.Field.cStoreRQ.rawValue, _):
                response = Command.response(to: command, field: .cStoreRSP, status: Status.cannotUnderstand)
                response.dataSet.set(.affectedSOPClassUID, .UI, command.affectedSOPClassUID ?? "")
                response.dataSet.set(.affectedSOPInstanceUID, .UI, command.affectedSOPInstanceUID ?? "")
                response.dataSet.set(.errorComment, .LO, "C-STORE-RQ without a data set")
            default:
                let field = command.field ?? 0
                let rspField = Command.Field(rawValue: field | 0x8000)
                let cls = command.affectedSOPClassUID ?? command.requestedSOPClassUID ?? abstract
                if let service = services.first(where: { $0.sopClassUIDs.contains(cls) }), rspField != nil {
                    var ds: DataSet?
                    var failed = false
                    if case .buffered(let bytes) = receiving {
                        do { ds = try DataSet.decode(bytes, syntax: TransferSyntax(uid: syntax)) } catch { failed = true }
                    }
                    if failed {
                        response = Command.response(to: command, field: rspField!, status: Status.processingFailure)
                        response.dataSet.set(.errorComment, .LO, "the data set does not decode")
                    } else {
                        (response, data) = service.handle(command, dataSet: ds, association: info)
                    }
                } else {
                    var r = Command()
                    r.dataSet.set(.commandField, .US, numbers: [Double(field | 0x8000)])
                    r.dataSet.set(.messageIDBeingRespondedTo, .US, numbers: [Double(command.messageID ?? 0)])
                    r.dataSet.set(.commandDataSetType, .US, numbers: [Double(Command.noDataSet)])
                    r.dataSet.set(.status, .US, numbers: [Double(Status.unrecognizedOperation)])
                    response = r
                }
            }
            let encodedData = try? data.map { try DataSetEncoder(explicitVR: TransferSyntax(uid: syntax).isExplicitVR).encode($0) }
            if data != nil && encodedData == nil { response.dataSet.set(.commandDataSetType, .US, numbers: [Double(Command.noDataSet)]) }
            return ((try? response.encoded()) ?? [], encodedData ?? nil)
        }
        // A store with nothing of this association left on the I/O queue and no other
        // association open: finished on the event loop, which has nobody else to serve, saving
        // two thread hand-offs an instance (thread switches were a large share of the SCP's
        // profile with one sender). With several associations the I/O queues keep the event
        // loops free.
        if case .store = receiving, ioWork == 0, counter.current <= 1 {
            let (commandBytes, data) = work()
            if restBytes > 0 { track(-restBytes) }
            send(command: commandBytes, data: data, context: ctx)
            return
        }
        ioWork += 1
        io.async {
            let (commandBytes, data) = work()
            bound.execute { me in
                if restBytes > 0 { me.track(-restBytes) }
                me.ioWork -= 1
                me.send(command: commandBytes, data: data, context: ctx)
            }
        }
    }

    /// Command then data, each fragmented to the peer's Maximum Length, each fragment in a
    /// P-DATA-TF of its own (never command and data in one PDU).
    private func send(command: [UInt8], data: [UInt8]?, context ctx: UInt8) {
        guard state == .established || state == .releasing else { return }
        let room = max(16, peerMax - 6 - 6)   // PDU header, PDV length, context ID, control header
        for (bytes, isCommand) in [(command, true)] + (data.map { [($0, false)] } ?? []) {
            var start = 0
            repeat {
                let end = min(bytes.count, start + room)
                let pdv = PDV(contextID: ctx, isCommand: isCommand, isLast: end == bytes.count, fragment: Array(bytes[start..<end]))
                write(PDUCodec.encode(.pData([pdv])), flush: false)
                start = end
            } while start < bytes.count
        }
        context?.flush()
    }

    // MARK: Plumbing

    /// Bytes handed to the I/O queue and not yet written: reading pauses above 16 MB.
    private func track(_ delta: Int) {
        inFlight += delta
        guard let context else { return }
        if !paused && inFlight > 16 << 20 {
            paused = true
            _ = context.channel.setOption(ChannelOptions.autoRead, value: false)
        } else if paused && inFlight < 4 << 20 {
            paused = false
            _ = context.channel.setOption(ChannelOptions.autoRead, value: true)
            context.read()
        }
    }

    private func write(_ bytes: [UInt8], flush: Bool) {
        guard let context, state != .closed else { return }
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        if flush { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) } else { context.write(wrapOutboundOut(buffer), promise: nil) }
    }

    private func abort(_ abort: Abort, _ why: String? = nil) {
        if let why { logger.warning("protocol error: \(why); association aborted", metadata: ["peer": "\(info.peer)", "calling": "\(info.callingAE)"]) }
        if state != .closed { write(PDUCodec.encode(.abort(abort)), flush: true) }
        close()
    }

    private func close() {
        guard state != .closed, let context else { return }
        state = .closed
        context.close(promise: nil)
    }
}

extension NIOLoopBound {
    /// Runs `body` with the value on its event loop.
    func execute(_ body: @escaping @Sendable (Value) -> Void) where Value: AnyObject {
        let me = self
        eventLoop.execute { body(me.value) }
    }
}

/// The storage side of one C-STORE, touched only on the association's I/O queue.
/// `@unchecked Sendable`: created on the event loop, then used by the I/O queue alone.
final class StoreSlot: @unchecked Sendable {
    let request: StoreRequest
    private let sink: StorageSink
    private var begun = false
    private var incoming: IncomingInstance?
    private var failure: StoreFailure?

    init(_ request: StoreRequest, sink: StorageSink) {
        self.request = request
        self.sink = sink
    }

    /// Opens the instance in the sink, once, when its first bytes (or its end) reach the queue.
    private func begin() {
        guard !begun else { return }
        begun = true
        do { incoming = try sink.begin(request) } catch let f as StoreFailure { failure = f } catch {
            failure = StoreFailure(Status.processingFailure, "the instance cannot be stored")
        }
    }

    func append(_ fragment: [UInt8]) {
        begin()
        guard failure == nil, let incoming else { return }
        do { try incoming.append(fragment) } catch let f as StoreFailure { failure = f } catch {
            failure = StoreFailure(Status.processingFailure, "the instance cannot be written")
        }
    }

    func finish() -> StoreOutcome {
        begin()
        if let failure {
            incoming?.abandon()
            return StoreOutcome(status: failure.status, comment: failure.comment)
        }
        guard let incoming else { return StoreOutcome(status: Status.processingFailure, comment: "nothing was received") }
        self.incoming = nil
        return incoming.finish()
    }

    func abandon() {
        incoming?.abandon()
        incoming = nil
    }
}

/// How many associations are being served, shared by the server's handlers.
final class AssociationCounter: @unchecked Sendable {
    // `@unchecked Sendable`: `count` is read and written under `lock` only.
    private let lock = NSLockLike()
    private var count = 0
    func enter(limit: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard count < limit else { return false }
        count += 1
        return true
    }
    func leave() { lock.lock(); count -= 1; lock.unlock() }
    var current: Int { lock.lock(); defer { lock.unlock() }; return count }
}

extension PDU {
    var name: String {
        switch self {
        case .associateRQ: return "A-ASSOCIATE-RQ"
        case .associateAC: return "A-ASSOCIATE-AC"
        case .associateRJ: return "A-ASSOCIATE-RJ"
        case .pData: return "P-DATA-TF"
        case .releaseRQ: return "A-RELEASE-RQ"
        case .releaseRP: return "A-RELEASE-RP"
        case .abort: return "A-ABORT"
        }
    }
}
