import DICOM
import FileSet
import Foundation
import Imaging
import Media
import Network

/// `dicomfs send`: a received disc (folder, ISO image, drive) or a folder of files, verified,
/// then stored into a PACS with C-STORE — with the patient reconciled on the copy sent (the
/// disc is never changed), the old values kept in Original Attributes Sequence (PS3.3
/// C.12.1.1.9), and a journal of acknowledged instances so that a re-run sends only the rest.
public enum Sender {
    public struct Options: Sendable {
        public var destination: DICOMClient.Options
        /// Send a file-set whose verification found errors.
        public var force = false
        /// Values to set in every instance sent (keyword → value), e.g. PatientID.
        public var set: [Tag: String] = [:]
        /// Old Patient ID → new Patient ID and, optionally, Patient's Name.
        public var patientMap: [String: (id: String, name: String?)] = [:]
        public var reason = "COERCE"
        /// Where acknowledged SOP Instance UIDs are recorded; nil: no resuming.
        public var journal: String?
        public var dryRun = false
        /// Old UID → new UID, filled by `send` from the set when `newUIDs` is on.
        var renamedUIDs: [String: String] = [:]
        /// New Study, Series and SOP Instance UIDs on the copy sent (and in every reference to
        /// them inside the set), derived from the old ones: a re-run gives the same new UIDs.
        public var newUIDs = false
        public init(destination: DICOMClient.Options) { self.destination = destination }
    }

    public struct Entry: Codable, Sendable {
        public var file: String
        public var sopInstanceUID: String
        /// The C-STORE-RSP status as 4 hex digits; "sent before" when the journal had it;
        /// "not sent" when it could not be sent (comment says why).
        public var status: String
        public var comment: String?
        public var coerced: [String]?
    }

    public struct Report: Codable, Sendable {
        public var source = ""
        public var destination = ""
        public var dryRun = false
        public var verification: String?
        public var instances: [Entry] = []
        public var sent: Int { instances.filter { $0.status == "0000" || $0.status.hasPrefix("B") }.count }
        public var failed: Int { instances.filter { !($0.status == "0000" || $0.status.hasPrefix("B") || $0.status == "sent before" || $0.status == "would send") }.count }
        public var sentBefore: Int { instances.filter { $0.status == "sent before" }.count }
        enum CodingKeys: String, CodingKey { case source, destination, dryRun, verification, instances, sent, failed, sentBefore }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source); try c.encode(destination, forKey: .destination); try c.encode(dryRun, forKey: .dryRun)
            try c.encodeIfPresent(verification, forKey: .verification); try c.encode(instances, forKey: .instances)
            try c.encode(sent, forKey: .sent); try c.encode(failed, forKey: .failed); try c.encode(sentBefore, forKey: .sentBefore)
        }
        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decode(String.self, forKey: .source); destination = try c.decode(String.self, forKey: .destination)
            dryRun = try c.decode(Bool.self, forKey: .dryRun); verification = try c.decodeIfPresent(String.self, forKey: .verification)
            instances = try c.decode([Entry].self, forKey: .instances)
        }
    }

    public struct Failure: DescribedError {
        public var description: String
        public var unusable: Bool
    }

    /// One instance to send: where it is read from.
    struct Item: Sendable {
        let name: String
        let open: @Sendable () throws -> ByteSource
        /// Whether several may be opened at once (files of a folder, not of an ISO image).
        var concurrent = false
    }

    public static func send(_ source: String, options: Options, progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> Report {
        var report = Report()
        report.source = source
        report.destination = "\(options.destination.calledAE)@\(options.destination.host):\(options.destination.port)"
        report.dryRun = options.dryRun
        let items = try collect(source, force: options.force, report: &report)
        guard !items.isEmpty else { throw Failure(description: "\(source): no DICOM files to send", unusable: true) }

        // Read every header once: SOP class and syntax, for the presentation contexts; only
        // what is needed later is kept (a disc can hold tens of thousands of instances).
        // Files of a folder are read on all cores; an image or drive's through its one library thread.
        let keeping = Set(options.set.keys)
        let read: @Sendable (Int) -> Header? = { i in
            (try? DICOMFile.read(source: items[i].open(), path: items[i].name, options: .headerOnly)).flatMap { Header($0, keeping: keeping) }
        }
        let found = items.allSatisfy(\.concurrent) ? parallelMap(items.count, read) : (0..<items.count).map(read)
        progress?("reading", items.count, items.count)
        var headers: [(item: Item, header: Header?)] = Array(zip(items, found))
        // --new-uids: the UIDs of the set's own studies, series and instances get new ones.
        var options = options
        if options.newUIDs {
            for h in headers {
                for old in h.header?.ownUIDs ?? [] where options.renamedUIDs[old] == nil {
                    options.renamedUIDs[old] = UIDGenerator.derived(from: old, namespace: "dicomfs send --new-uids")
                }
            }
        }
        for i in headers.indices {
            if let h = headers[i].header { headers[i].header?.coerced = plannedCoercions(h.keys, options) }
        }
        let done = Set(options.journal.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.split(separator: "\n").map(String.init) ?? [])
        var contexts: [ProposedContext] = [ProposedContext(id: 1, abstractSyntax: ServerConfiguration.verification,
                                                           transferSyntaxes: [TransferSyntax.implicitVRLittleEndian.uid])]
        var proposed: Set<String> = []
        for h in headers {
            guard let f = h.header else { continue }
            let cls = f.sopClassUID
            let key = cls + "|" + f.syntax.uid
            guard !proposed.contains(key), contexts.count < 128 else { continue }
            proposed.insert(key)
            let native = [TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]
            if f.syntax.isEncapsulated {
                // Its own syntax, and native on a context of its own: a peer that takes only
                // uncompressed data gets the instance decompressed.
                contexts.append(ProposedContext(id: UInt8(contexts.count * 2 + 1), abstractSyntax: cls, transferSyntaxes: [f.syntax.uid]))
                if !proposed.contains(cls + "|native") && contexts.count < 128 {
                    proposed.insert(cls + "|native")
                    contexts.append(ProposedContext(id: UInt8(contexts.count * 2 + 1), abstractSyntax: cls, transferSyntaxes: native))
                }
            } else if !proposed.contains(cls + "|native") {
                proposed.insert(cls + "|native")
                contexts.append(ProposedContext(id: UInt8(contexts.count * 2 + 1), abstractSyntax: cls, transferSyntaxes: native))
            }
        }
        if options.dryRun {
            for h in headers {
                let uid = h.header?.sopInstanceUID ?? "?"
                let coerced = h.header?.coerced ?? []
                report.instances.append(Entry(file: h.item.name, sopInstanceUID: uid, status: done.contains(uid) ? "sent before" : "would send",
                                              comment: nil, coerced: coerced.isEmpty ? nil : coerced))
            }
            return report
        }

        let client = DICOMClient(options.destination)
        let accepted = try client.associate(contexts)
        defer { client.release() }
        let echo = try client.echo()
        guard echo == 0 else { throw Failure(description: "\(report.destination): C-ECHO answered status \(hex(echo))", unusable: false) }
        let journal = options.journal.flatMap { JournalFile(path: $0) }

        // What goes on the wire for each instance, made one instance ahead on another thread
        // while the peer stores the one before (the association allows one operation at a time).
        let todo: [Outgoing] = headers.map { h in
            guard let header = h.header else { return .skip(Entry(file: h.item.name, sopInstanceUID: "?", status: "not sent", comment: "not a readable DICOM file")) }
            if done.contains(header.sopInstanceUID) { return .skip(Entry(file: h.item.name, sopInstanceUID: header.sopInstanceUID, status: "sent before")) }
            let syntaxes = [header.syntax.uid, TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]
            guard let context = accepted.context(for: header.sopClassUID, syntaxes: syntaxes) else {
                return .skip(Entry(file: h.item.name, sopInstanceUID: header.sopInstanceUID, status: "not sent",
                                   comment: "the peer accepts no context for SOP Class \(header.sopClassUID)"))
            }
            return .send(context.id, context.syntax)
        }
        let prepare: @Sendable (Int) -> Prepared = { [options, headers] i in
            guard case .send(let id, let syntax) = todo[i], let header = headers[i].header else { return .failed("") }
            do { return try Self.prepare(headers[i].item, header: header, context: id, syntax: syntax, options: options) } catch let e as DICOMError {
                return .failed(e.description)
            } catch {
                return .failed("the instance cannot be read or encoded")
            }
        }
        // The next instance to send is prepared on `ahead` while this one is stored.
        let ahead = DispatchQueue(label: "dicomfs.send.prepare")
        let sends = todo.indices.filter { if case .send = todo[$0] { return true } else { return false } }
        var pending: [Int: (DispatchWorkItem, Box<Prepared>)] = [:]
        func schedule(_ n: Int) {
            guard n < sends.count else { return }
            let box = Box<Prepared>()
            let work = DispatchWorkItem { box.value = prepare(sends[n]) }
            ahead.async(execute: work)
            pending[sends[n]] = (work, box)
        }
        var nextSend = 0
        schedule(0)
        for i in todo.indices {
            progress?("sending", i, todo.count)
            let name = headers[i].item.name
            guard case .send = todo[i], let header = headers[i].header, let (work, box) = pending.removeValue(forKey: i) else {
                if case .skip(let entry) = todo[i] { report.instances.append(entry) }
                continue
            }
            work.wait()
            let prepared = box.value ?? .failed("")
            nextSend += 1
            schedule(nextSend)
            let uid = header.sopInstanceUID
            switch prepared {
            case .failed(let why):
                report.instances.append(Entry(file: name, sopInstanceUID: uid, status: "not sent", comment: why))
            case .ready(let bytes, let context, let coerced):
                do {
                    let rsp = try client.store(bytes, sopClass: header.sopClassUID, sopInstance: options.renamedUIDs[uid] ?? uid, context: context)
                    let status = rsp.status ?? 0xFFFF
                    if status == 0 || status & 0xF000 == 0xB000 { journal?.append(uid) }
                    report.instances.append(Entry(file: name, sopInstanceUID: uid, status: hex(status),
                                                  comment: rsp.dataSet.string(.errorComment), coerced: coerced.isEmpty ? nil : coerced))
                } catch let e as NetworkError {
                    for (w, _) in pending.values { w.wait() }
                    report.instances.append(Entry(file: name, sopInstanceUID: uid, status: "not sent", comment: e.description))
                    throw Failure(description: "\(e) — \(report.sent) sent; a re-run with the same --journal sends the rest", unusable: false)
                }
            }
        }
        progress?("sending", todo.count, todo.count)
        return report
    }

    /// What is kept of an instance's header between reading and sending.
    struct Header: Sendable {
        var sopClassUID: String
        var sopInstanceUID: String
        var syntax: TransferSyntax
        /// The keys reconciliation may look at or change (Patient ID, the UIDs, …).
        var keys: DataSet
        var coerced: [String] = []
        /// Where the data set starts, and whether its bytes may go as they are (no group 0002
        /// element strayed into it).
        var dataSetOffset: Int
        var passThrough: Bool
        var ownUIDs: [String] { [keys.string(.studyInstanceUID), keys.string(.seriesInstanceUID), sopInstanceUID].compactMap { $0 }.filter { !$0.isEmpty } }

        init?(_ f: DICOMFile, keeping extra: Set<Tag>) {
            guard let cls = f.sopClassUID, let uid = f.sopInstanceUID else { return nil }
            sopClassUID = cls
            sopInstanceUID = uid
            syntax = f.transferSyntax
            dataSetOffset = f.dataSetOffset
            passThrough = !f.dataSet.elements.contains { $0.tag.group == 0x0002 }
            var k = DataSet()
            for e in f.dataSet.elements where e.tag.group == 0x0010 || e.tag == .studyInstanceUID || e.tag == .seriesInstanceUID
                || e.tag == .sopInstanceUID || extra.contains(e.tag) {
                k.set(e)
            }
            keys = k
        }
    }

    enum Outgoing: Sendable {
        case skip(Entry)
        case send(UInt8, String)
    }

    enum Prepared: Sendable {
        case ready([UInt8], context: UInt8, coerced: [String])
        case failed(String)
    }

    /// An instance as the peer takes it: the file's data set as it is when nothing changes and
    /// the syntax was accepted (storescu does the same), else decoded, reconciled, decompressed
    /// if the peer takes only native syntaxes, and encoded again.
    static func prepare(_ item: Item, header: Header, context: UInt8, syntax: String, options: Options) throws -> Prepared {
        let source = try item.open()
        // The data set's bytes after the meta group, as they are.
        if header.coerced.isEmpty && syntax == header.syntax.uid && options.renamedUIDs.isEmpty && header.passThrough,
           let bytes = try source.readBytes(at: header.dataSetOffset, count: source.size - header.dataSetOffset) {
            return .ready(bytes, context: context, coerced: [])
        }
        var file = try DICOMFile.read(source: source, path: item.name)
        var decompressed = false
        if file.transferSyntax.isEncapsulated && syntax != file.transferSyntax.uid {
            // The peer takes it only uncompressed: decoded as `create --transcode` does.
            file = try DICOMFile.read(bytes: try Transcoder.explicitLittleEndian(file))
            decompressed = true
        }
        var coerced = coerce(&file.dataSet, options)
        if decompressed { coerced.insert("decompressed from \(header.syntax.uid)", at: 0) }
        let target = TransferSyntax(uid: syntax)
        var encoder = DataSetEncoder()
        encoder.explicitVR = target.isExplicitVR
        var body = DataSet()
        for e in file.dataSet.elements where e.tag.group != 0x0002 { body.set(e) }
        var bytes = try encoder.encode(body)
        if target.isDeflated { bytes = deflateRaw(bytes) }
        return .ready(bytes, context: context, coerced: coerced)
    }

    // MARK: Source

    /// The files to send: a file-set's referenced files (after verification), or every file of
    /// a folder without DICOMDIR.
    static func collect(_ source: String, force: Bool, report: inout Report) throws -> [Item] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw Failure(description: "\(source): no such file, folder or drive", unusable: true)
        }
        let storage: FileSetStorage
        let reading: (report: Verifier.Report, dicomdir: DICOMDIR)
        if isDirectory.boolValue {
            let folder = try FolderStorage(root: source)
            guard folder.entries(of: "").contains(where: { $0.uppercased() == "DICOMDIR" }) else {
                return try folder.allFiles().map { f in Item(name: source + "/" + f, open: { try folder.open(f) }, concurrent: true) }
            }
            storage = folder
            reading = try Verifier().verifyReading(storage: folder)
        } else {
            let read = try ISOVerifier.verifyReading(source)   // the image opened and its DICOMDIR read once
            storage = read.storage
            reading = (read.report, read.dicomdir)
        }
        report.verification = "\(reading.report.errors) errors, \(reading.report.warnings) warnings"
        if reading.report.errors > 0 && !force {
            let first = reading.report.findings.filter { $0.severity == .error }.prefix(5).map { "  \($0)" }.joined(separator: "\n")
            throw Failure(description: "\(source): verification found \(reading.report.errors) errors; nothing was sent (--force sends anyway):\n\(first)", unusable: false)
        }
        return reading.dicomdir.allRecords.compactMap { r -> Item? in
            guard let id = r.reference?.fileID, let path = storage.locate(id) else { return nil }
            return Item(name: storage.display(path), open: { try storage.open(path) }, concurrent: storage is FolderStorage)
        }
    }

    // MARK: Reconciliation

    static func plannedCoercions(_ ds: DataSet, _ o: Options) -> [String] {
        var copy = ds
        return coerce(&copy, o)
    }

    /// Applies --set and --map to a data set about to be sent; the values replaced go into a
    /// new Original Attributes Sequence item. Returns "Keyword: old → new" per change.
    @discardableResult
    static func coerce(_ ds: inout DataSet, _ o: Options) -> [String] {
        var changes: [(Tag, String)] = o.set.map { ($0.key, $0.value) }
        for tag in [Tag.studyInstanceUID, .seriesInstanceUID, .sopInstanceUID] {
            if let old = ds.string(tag), let new = o.renamedUIDs[old] { changes.append((tag, new)) }
        }
        if let old = ds.string(.patientID), let m = o.patientMap[old] {
            changes.append((.patientID, m.id))
            if let name = m.name { changes.append((.patientName, name)) }
        }
        var modified = DataSet()
        var notes: [String] = []
        for (tag, value) in changes.sorted(by: { $0.0 < $1.0 }) {
            let old = ds.string(tag)
            guard old != value else { continue }
            if let e = ds[tag] { modified.set(e) } else { modified.set(DataElement(tag, DataDictionary.implicitVR(for: tag), bytes: [])) }
            ds.set(tag, ds[tag]?.vr ?? DataDictionary.implicitVR(for: tag), value)
            notes.append("\(DataDictionary.keyword(for: tag)): \(old ?? "(none)") → \(value)")
        }
        if !o.renamedUIDs.isEmpty {
            // References inside the set (SR content, KO and PR references, source images)
            // follow their instances; the top-level UIDs were replaced above.
            remapUIDs(&ds, o.renamedUIDs, top: true)
        }
        guard !notes.isEmpty else { return [] }
        var item = DataSet()
        item.set(.modifiedAttributesSequence, sequence: [modified])
        item.set(.attributeModificationDateTime, .DT, Self.now())
        item.set(.modifyingSystem, .LO, "DICOMFS")
        item.set(.sourceOfPreviousValues, .LO, "")
        item.set(.reasonForTheAttributeModification, .CS, o.reason)
        ds.set(.originalAttributesSequence, sequence: (ds.sequence(.originalAttributesSequence) ?? []) + [item])
        return notes
    }

    /// Replaces, in every UI value of `ds` and its sequences, the UIDs `map` renames (at the
    /// top level, Study, Series and SOP Instance UID are left to the caller).
    static func remapUIDs(_ ds: inout DataSet, _ map: [String: String], top: Bool) {
        for e in ds.elements {
            if top && (e.tag == .studyInstanceUID || e.tag == .seriesInstanceUID || e.tag == .sopInstanceUID || e.tag == .originalAttributesSequence) { continue }
            switch e.value {
            case .sequence(var items):
                for i in items.indices { remapUIDs(&items[i], map, top: false) }
                ds.set(e.tag, sequence: items)
            case .bytes where e.vr == .UI:
                guard let values = ds.strings(e.tag) else { continue }
                let mapped = values.map { map[$0] ?? $0 }
                if mapped != values { ds.set(e.tag, .UI, mapped) }
            default:
                continue
            }
        }
    }

    static func now() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMddHHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date()) + "+0000"
    }

    static func hex(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

/// A value one thread fills and another reads after waiting on the work item that filled it.
/// `@unchecked Sendable`: written once, before `wait()` returns to the reader.
final class Box<T>: @unchecked Sendable {
    var value: T?
}

/// Appends one line per acknowledged instance and syncs it: a re-run after a crash of either
/// side sends only what was not acknowledged.
final class JournalFile {
    let fd: Int32
    init?(path: String) {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { return nil }
    }
    deinit { close(fd) }
    func append(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        _ = fsync(fd)
    }
}
