import DICOM
import Dispatch
import Foundation
import Logging
import Network
import Requests

/// Media Creation Management SCP (PS3.4 Annex S, SOP Class 1.2.840.10008.5.1.1.33) on top of
/// the Requests engine: N-CREATE makes a job (IDLE) whose store is the station's spool (the
/// instances were C-STOREd or C-MOVEd to us first), N-ACTION Initiate (1) queues it and
/// Cancel (2) cancels it, N-GET reports Execution Status, Info, pieces created, the Failed
/// SOP Sequence and the media made. Attribute errors answer with failure statuses of PS3.7
/// Annex C, never a warning (S.3.2.1.3: warnings shall not be returned).
public final class MediaCreationSCP: NormalizedService, @unchecked Sendable {
    // `@unchecked Sendable`: `initiated` is touched under `lock` only; the rest never changes.
    public static let sopClassUID = MediaRequest.sopClassUID
    public var sopClassUIDs: Set<String> { [Self.sopClassUID] }

    let jobsFolder: String
    let store: String
    /// Recipes by called AE title ("*": the rest): a request is made as its called title's recipe says.
    let recipes: [String: Recipe]
    /// Seconds an initiated request waits for referenced instances still arriving (a PACS may
    /// start C-STOREs and N-ACTION together) before the job runs and fails them NO_INSTANCE.
    public var waitForInstances: Double = 60
    /// Free space kept on the jobs' file system; a request that would leave less gets 0213H.
    public var minFreeBytes: Int64 = 0
    let logger: Logger
    private let queue = DispatchQueue(label: "dicomfs.mcm.jobs")
    private let lock = NSLock()
    private var initiated: Set<String> = []

    /// Jobs go to `jobsFolder/UID`; their instances are looked up under `store`.
    public init(jobsFolder: String, store: String, recipes: [String: Recipe], logger: Logger) throws {
        self.jobsFolder = jobsFolder
        self.store = store
        self.recipes = recipes
        self.logger = logger
        try FileManager.default.createDirectory(atPath: jobsFolder, withIntermediateDirectories: true)
    }

    public func handle(_ request: Command, dataSet: DataSet?, association: AssociationInfo) -> (Command, DataSet?) {
        let recipe = recipes[association.calledAE] ?? recipes["*"] ?? Recipe()
        switch request.field {
        case Command.Field.nCreateRQ.rawValue: return create(request, dataSet, recipe: recipe)
        case Command.Field.nActionRQ.rawValue: return action(request, dataSet, recipe: recipe)
        case Command.Field.nGetRQ.rawValue: return get(request)
        default:
            var r = Command.response(to: request, field: Command.Field(rawValue: (request.field ?? 0) | 0x8000) ?? .nGetRSP, status: Status.unrecognizedOperation)
            r.dataSet.set(.affectedSOPClassUID, .UI, Self.sopClassUID)
            return (r, nil)
        }
    }

    /// Waits until every job initiated so far has run (tests).
    public func drain() { queue.sync {} }

    // MARK: N-CREATE

    private func create(_ rq: Command, _ ds: DataSet?, recipe: Recipe) -> (Command, DataSet?) {
        func fail(_ status: UInt16, _ comment: String, offending: Tag? = nil) -> (Command, DataSet?) {
            var r = Command.response(to: rq, field: .nCreateRSP, status: status)
            r.dataSet.set(.affectedSOPClassUID, .UI, Self.sopClassUID)
            r.dataSet.set(.errorComment, .LO, String(comment.prefix(64)))
            if let t = offending { r.dataSet.set(DataElement(.offendingElement, .AT, bytes: [UInt8(t.group & 0xFF), UInt8(t.group >> 8), UInt8(t.element & 0xFF), UInt8(t.element >> 8)])) }
            logger.notice("N-CREATE refused: \(comment)")
            return (r, nil)
        }
        guard let ds else { return fail(Status.missingAttribute, "no Attribute List", offending: .referencedSOPSequence) }
        guard let items = ds.sequence(.referencedSOPSequence) else {
            return fail(Status.missingAttribute, "Referenced SOP Sequence (0008,1199) is missing", offending: .referencedSOPSequence)
        }
        guard !items.isEmpty else { return fail(Status.missingAttributeValue, "Referenced SOP Sequence is empty", offending: .referencedSOPSequence) }
        for (i, item) in items.enumerated() {
            for tag in [Tag.referencedSOPClassUID, .referencedSOPInstanceUID] where (item.string(tag) ?? "").isEmpty {
                return fail(item[tag] == nil ? Status.missingAttribute : Status.missingAttributeValue,
                            "item \(i + 1) of Referenced SOP Sequence lacks \(DataDictionary.keyword(for: tag))", offending: tag)
            }
        }
        let request: MediaRequest
        do { request = try MediaRequest.from(dataSet: ds) } catch {
            return fail(Status.invalidAttributeValue, userText(error, otherwise: "the request is not valid"))
        }
        var withProfiles = request
        for i in withProfiles.references.indices where withProfiles.references[i].profile == nil {
            withProfiles.references[i].profile = recipe.profile.name
        }
        if let problem = withProfiles.problems().first { return fail(Status.invalidAttributeValue, problem) }
        let uid = rq.affectedSOPInstanceUID ?? UIDGenerator.make()
        guard UIDRegistry.isValid(uid) else { return fail(Status.invalidAttributeValue, "Affected SOP Instance UID is not a valid UID") }
        let job = jobsFolder + "/" + uid
        if FileManager.default.fileExists(atPath: job) {
            var r = Command.response(to: rq, field: .nCreateRSP, status: Status.duplicateSOPInstance)
            r.dataSet.set(.affectedSOPClassUID, .UI, Self.sopClassUID)
            return (r, nil)
        }
        do { try Job.create(withProfiles, store: store, job: job) } catch {
            return fail(Status.processingFailure, userText(error, otherwise: "the job cannot be made"))
        }
        logger.info("N-CREATE: media creation request \(uid) with \(request.references.count) instances", metadata: ["job": "\(job)"])
        var r = Command.response(to: rq, field: .nCreateRSP, status: Status.success, hasDataSet: true)
        r.dataSet.set(.affectedSOPClassUID, .UI, Self.sopClassUID)
        r.dataSet.set(.affectedSOPInstanceUID, .UI, uid)
        // The attribute list as stored, with the instance's UID: pynetdicom's SCU cannot read
        // it from the response command.
        var back = ds
        back.set(.sopInstanceUID, .UI, uid)
        back.set(.sopClassUID, .UI, Self.sopClassUID)
        back.set(.executionStatus, .CS, "IDLE")
        back.set(.executionStatusInfo, .CS, "QUEUED")
        return (r, back)
    }

    // MARK: N-ACTION

    private func action(_ rq: Command, _ ds: DataSet?, recipe: Recipe) -> (Command, DataSet?) {
        let uid = rq.requestedSOPInstanceUID ?? ""
        let type = rq.dataSet.uint(.actionTypeID).map(Int.init) ?? 0
        func answer(_ status: UInt16, _ comment: String? = nil) -> (Command, DataSet?) {
            var r = Command.response(to: rq, field: .nActionRSP, status: status)
            r.dataSet.set(.affectedSOPClassUID, .UI, Self.sopClassUID)
            r.dataSet.set(.affectedSOPInstanceUID, .UI, uid)
            r.dataSet.set(.actionTypeID, .US, numbers: [Double(type)])
            if let comment { r.dataSet.set(.errorComment, .LO, String(comment.prefix(64))) }
            return (r, nil)
        }
        let job = jobsFolder + "/" + uid
        guard UIDRegistry.isValid(uid), let state = try? Job.status(job) else { return answer(Status.noSuchSOPInstance, "no media creation request \(uid)") }
        switch type {
        case 1:
            var options = recipe.runOptions
            if let n = ds?.int(.numberOfCopies) {
                guard (1...99).contains(n) else { return answer(Status.invalidArgument, "Number of Copies \(n): 1–99") }
                options.copies = n
            }
            if let p = ds?.string(.requestPriority) {
                guard let priority = MediaRequest.Priority(rawValue: p.uppercased()) else { return answer(Status.invalidArgument, "Request Priority \(p): HIGH, MED or LOW") }
                options.priority = priority
            }
            lock.lock()
            let again = initiated.contains(uid) || state.status != .IDLE
            if !again { initiated.insert(uid) }
            lock.unlock()
            if again { return answer(0xA510, "an Initiate Media Creation action was already received") }
            func unmark() { lock.lock(); initiated.remove(uid); lock.unlock() }
            // The request checked now, so the answer can say what will fail (S.3.2.2.3 note 1):
            // instances of another class (0119H) or refused by their profile (0122H) fail it at
            // once with 0110H, the job FAILURE with its Failed SOP Sequence for N-GET (a failure
            // response carries no Action Reply); missing ones (0112H) do too unless they may
            // still be arriving (--mcm-wait); a job OUT cannot hold is 0213H.
            guard let readiness = try? Job.readiness(job, options: options) else {
                unmark()
                return answer(Status.processingFailure, "the request's instances cannot be looked up")
            }
            let onlyMissing = readiness.failed.allSatisfy { $0.failureReason == 0x0112 }
            if !readiness.failed.isEmpty && (!onlyMissing || waitForInstances <= 0) {
                try? Job.refuse(job, readiness: readiness)
                logger.notice("media creation request \(uid): \(readiness.failed.count) instances cannot be put on media (\(readiness.info.rawValue))")
                return answer(Status.processingFailure, "\(readiness.failed.count) instances cannot be put on media (see N-GET)")
            }
            if let short = DiskSpace.shortfall(at: jobsFolder, need: DiskSpace.jobNeed(readiness.bytes), keep: minFreeBytes) {
                unmark()
                logger.warning("media creation request \(uid): \(short) bytes short in \(jobsFolder)")
                return answer(Status.resourceLimitation, "not enough space for the media: \(short) bytes short")
            }
            let wanted = Set((try? Job.references(job)) ?? [])
            let wait = waitForInstances, store = self.store
            queue.async { [logger, options] in
                let missing = Self.awaitInstances(wanted, in: store, seconds: wait)
                if !missing.isEmpty { logger.notice("media creation request \(uid): \(missing.count) instances still missing after \(Int(wait)) s") }
                do {
                    let done = try Job.run(job, options: options)
                    logger.info("media creation request \(uid): \(done.status.rawValue) \(done.info.rawValue)", metadata: ["job": "\(job)"])
                } catch {
                    logger.error("media creation request \(uid): \(userText(error))", metadata: ["job": "\(job)"])
                }
            }
            return answer(Status.success)
        case 2:
            do {
                _ = try Job.cancel(job)
                return answer(Status.success)
            } catch let e as RequestError {
                // C201 completed, C202 in progress; any other refusal is C203, "cancellation
                // denied for unspecified reason" (PS3.4 S.3.2.3.4).
                let code = e.code.flatMap { UInt16($0, radix: 16) } ?? 0xC203
                return answer(code, e.description)
            } catch {
                return answer(0xC203, userText(error, otherwise: "the request cannot be canceled"))
            }
        default:
            return answer(Status.noSuchAction, "Action Type ID \(type): 1 (Initiate) or 2 (Cancel)")
        }
    }

    /// The UIDs of `wanted` not yet in the spool, after waiting up to `seconds` for them
    /// (the spool names every instance SOP_INSTANCE_UID.dcm, so presence is a name lookup).
    static func awaitInstances(_ wanted: Set<String>, in store: String, seconds: Double) -> Set<String> {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var present: Set<String> = []
            let e = FileManager.default.enumerator(atPath: store)
            while let p = e?.nextObject() as? String {
                if p.hasSuffix(".dcm") { present.insert(String((p as NSString).lastPathComponent.dropLast(4))) }
            }
            let missing = wanted.subtracting(present)
            if missing.isEmpty || Date() >= deadline { return missing }
            usleep(250_000)
        }
    }

    /// Failed SOP Sequence (0008,1198) items: class, instance, Failure Reason (PS3.4 S.3.2.4).
    static func failedItems(_ failed: [JobState.FailedInstance]) -> [DataSet] {
        failed.map { f in
            var item = DataSet()
            item.set(.referencedSOPClassUID, .UI, f.sopClassUID)
            item.set(.referencedSOPInstanceUID, .UI, f.sopInstanceUID)
            item.set(.failureReason, .US, numbers: [Double(f.failureReason)])
            return item
        }
    }

    // MARK: N-GET

    private func get(_ rq: Command) -> (Command, DataSet?) {
        let uid = rq.requestedSOPInstanceUID ?? ""
        let job = jobsFolder + "/" + uid
        guard UIDRegistry.isValid(uid), let state = try? Job.status(job) else {
            var r = Command.response(to: rq, field: .nGetRSP, status: Status.noSuchSOPInstance)
            r.dataSet.set(.affectedSOPClassUID, .UI, Self.sopClassUID)
            r.dataSet.set(.affectedSOPInstanceUID, .UI, uid)
            return (r, nil)
        }
        var ds = DataSet()
        ds.set(.executionStatus, .CS, state.status.rawValue)
        ds.set(.executionStatusInfo, .CS, state.info.rawValue)
        ds.set(.totalNumberOfPiecesOfMediaCreated, .US, numbers: [Double(state.piecesCreated)])
        if !state.failed.isEmpty { ds.set(.failedSOPSequence, sequence: Self.failedItems(state.failed)) }
        if !state.volumes.isEmpty {
            ds.set(.referencedStorageMediaSequence, sequence: state.volumes.map { v in
                var item = DataSet()
                item.set(.storageMediaFileSetID, .SH, v.fileSetID)
                item.set(.storageMediaFileSetUID, .UI, v.fileSetUID)
                return item
            })
        }
        // Only what was asked for, when a list was given (PS3.7 10.1.2.1.5: empty = all).
        if let list = rq.dataSet[.attributeIdentifierList]?.bytes, list.count >= 4 {
            var wanted: Set<Tag> = []
            for i in stride(from: 0, to: list.count - 3, by: 4) {
                wanted.insert(Tag(UInt16(list[i]) | UInt16(list[i + 1]) << 8, UInt16(list[i + 2]) | UInt16(list[i + 3]) << 8))
            }
            var only = DataSet()
            for e in ds.elements where wanted.contains(e.tag) { only.set(e) }
            ds = only
        }
        var r = Command.response(to: rq, field: .nGetRSP, status: Status.success, hasDataSet: true)
        r.dataSet.set(.affectedSOPClassUID, .UI, Self.sopClassUID)
        r.dataSet.set(.affectedSOPInstanceUID, .UI, uid)
        return (r, ds)
    }
}
