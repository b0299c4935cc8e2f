import ArgumentParser
import Dispatch
import FileSet
import Foundation
import Logging
import Media
import Network
import Station

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the disc station: a Storage SCP whose received studies become media jobs.",
        discussion: """
        Listens for DICOM associations (PS3.8) called AE-TITLE and answers C-ECHO and C-STORE. \
        Each instance is written to SPOOL/AE/STUDY/ as a Part 10 file and synced to disk before \
        the success response. A study that receives nothing for --idle seconds becomes a media \
        creation job in OUT/ (an ISO image per volume, labels, burned with --drive), made with \
        the recipe options. Runs in the foreground until SIGTERM or SIGINT, which end every \
        association (an instance not complete is discarded) and let a running job finish. \
        After a restart, studies in the spool wait their idle time again and jobs made but not \
        run are run. Exit status 0 after a clean stop; 2 when the port or folders cannot be used.
        """
    )

    @Option(help: "Address to listen on (127.0.0.1 for this machine only, 0.0.0.0 or :: for every interface).")
    var host = "0.0.0.0"

    @Option(help: "TCP port (11112 is the registered non-privileged DICOM port).")
    var port = 11112

    @Option(name: .customLong("ae"), help: "Called AE title to answer (repeatable; default DICOMFS).")
    var aeTitles: [String] = []

    @Option(help: "Folder for received instances.", completion: .directory)
    var spool: String

    @Option(help: "Folder for the jobs and their images.", completion: .directory)
    var out: String

    @Option(help: "Seconds without a new instance after which a study becomes a job.")
    var idle: Double = 60

    @Option(name: .customLong("allow-calling-ae"), help: "Calling AE title allowed to send (repeatable; default: any).")
    var allowCallingAE: [String] = []

    @Option(name: .customLong("allow-address"), help: "Peer address allowed to connect (repeatable; default: any).")
    var allowAddress: [String] = []

    @Option(help: "Associations served at once; more are rejected (transient).")
    var maxAssociations = 32

    @Option(help: "Maximum PDU length advertised and accepted, in bytes (4096–16777216).")
    var maxPdu = 65_536

    @Option(help: "Seconds a silent association (or a connection without A-ASSOCIATE-RQ) is kept.")
    var timeout: Double = 60

    @Option(help: "Largest instance accepted, e.g. 2GB (A700 beyond).")
    var maxInstance: String?

    @Option(help: "Profile of the discs (PS3.11).")
    var profile: ApplicationProfile = .stdGenCD

    @Flag(help: "Add IHE PDI web content to each disc.")
    var web = false

    @Flag(help: "Add the offline viewer to each disc.")
    var viewer = false

    @Option(help: "Copies of each disc.")
    var copies = 1

    @Option(help: "Burn to these drives in turn (repeatable); without, the images stay in OUT.")
    var drive: [String] = []

    @Option(help: "Capacity of one volume, e.g. 700MB (default: the profile's medium).")
    var capacity: String?

    @Option(help: "Label Text printed on each disc's label.")
    var labelText: String?

    @Flag(inversion: .prefixedNo, help: "Rewrite instances whose syntax the profile refuses as Explicit VR Little Endian (default on).")
    var transcode = true

    @Flag(help: "Receive only: keep the studies in the spool and make no jobs.")
    var noJobs = false

    @Flag(help: "Media Creation Management SCP (PS3.4 Annex S): jobs come from N-CREATE/N-ACTION over the network, not from idle studies.")
    var mcm = false

    @Option(help: "With --mcm: seconds an initiated request waits for referenced instances still arriving.")
    var mcmWait: Double = 60

    @Option(help: "TLS: the server certificate chain (PEM). With --tls-key, the port speaks DICOM TLS only.", completion: .file())
    var tlsCert: String?

    @Option(help: "TLS: the server's private key (PEM).", completion: .file())
    var tlsKey: String?

    @Option(help: "TLS: CA certificates (PEM); clients must present a certificate one of them signed.", completion: .file())
    var tlsCa: String?

    @Option(help: "Write a JSON status (associations, studies waiting, jobs) to this file every few seconds.", completion: .file())
    var status: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    @Option(help: ArgumentHelp("Stop after this many seconds (tests).", visibility: .hidden))
    var stopAfter: Double?

    func validate() throws {
        if !(1...65_535).contains(port) && port != 0 { throw ValidationError("--port \(port): 1–65535") }
        if !(4096...16_777_216).contains(maxPdu) { throw ValidationError("--max-pdu \(maxPdu): 4096–16777216") }
        for ae in aeTitles + allowCallingAE where ae.isEmpty || ae.count > 16 || ae.contains("\\") || !ae.allSatisfy({ $0.isASCII && !$0.isNewline }) {
            throw ValidationError("AE title \"\(ae)\": 1–16 ASCII characters, no backslash (PS3.5 AE)")
        }
        if idle <= 0 || timeout <= 0 { throw ValidationError("--idle and --timeout are seconds above 0") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCa != nil && tlsCert == nil { throw ValidationError("--tls-ca needs --tls-cert and --tls-key") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level \(logLevel): trace, debug, info, notice, warning, error or critical") }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "dicomfs.serve")
        var options = Station.Options(spool: spool, out: out)
        options.idleSeconds = idle
        options.makeJobs = !noJobs && !mcm
        var recipe = Recipe()
        recipe.profile = profile
        recipe.web = web
        recipe.viewer = viewer
        recipe.copies = copies
        recipe.drives = drive
        recipe.labelText = labelText
        recipe.transcode = transcode
        if let capacity {
            guard let n = MediaKind.parseSize(capacity) else { throw ValidationError("--capacity \(capacity): expected a size such as 700MB") }
            recipe.capacity = n
        }
        options.recipes["*"] = recipe
        let station: Station
        do { station = try Station(options: options, logger: logger) } catch {
            throw failure(FileSetError.unusableInput("cannot use --spool \(spool) / --out \(out): \(error)"))
        }
        if let maxInstance {
            guard let n = MediaKind.parseSize(maxInstance) else { throw ValidationError("--max-instance \(maxInstance): expected a size such as 2GB") }
            station.spool.maxInstanceBytes = Int(n)
        }
        var config = ServerConfiguration()
        config.aeTitles = Set(aeTitles.isEmpty ? ["DICOMFS"] : aeTitles)
        config.allowedCallingAETitles = Set(allowCallingAE)
        config.allowedAddresses = Set(allowAddress)
        config.maxAssociations = maxAssociations
        config.maxPDULength = UInt32(maxPdu)
        config.artimSeconds = timeout
        config.idleSeconds = timeout
        var services: [NormalizedService] = []
        var mediaCreation: MediaCreationSCP?
        if mcm {
            do {
                let scp = try MediaCreationSCP(jobsFolder: out + "/mcm", store: spool, recipe: recipe, logger: logger)
                scp.waitForInstances = mcmWait
                services.append(scp)
                mediaCreation = scp
            } catch { throw failure(FileSetError.unusableInput("cannot use --out \(out): \(error)")) }
        }
        let tls = tlsCert.map { TLSSettings(certificate: $0, key: tlsKey ?? "", trustedCA: tlsCa) }
        let server = DICOMServer(configuration: config, storage: StationStorage(station), services: services, logger: logger, tls: tls)
        do { try server.start(host: host, port: port) } catch let e as NetworkError {
            throw failure(FileSetError.unusableInput(e.description))
        }
        station.start()

        // SIGTERM / SIGINT end the loop below; the handlers run on a queue, not in the signal.
        let done = DispatchSemaphore(value: 0)
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { done.signal() }
            s.resume()
            sources.append(s)
        }
        let statusWriter = status.map { path in StatusWriter(path: path, server: server, station: station) }
        statusWriter?.start()
        if let stopAfter { _ = done.wait(timeout: .now() + stopAfter) } else { done.wait() }
        logger.info("stopping")
        server.stop()
        station.stop()
        mediaCreation?.drain()
        statusWriter?.stop()
        _ = sources
    }
}

/// `--status FILE`: associations, studies waiting and jobs, replaced atomically every 2 s.
final class StatusWriter: @unchecked Sendable {
    // `@unchecked Sendable`: the timer is set in `start` and cancelled in `stop` on the caller's
    // thread; the rest is immutable.
    let path: String
    let server: DICOMServer
    let station: Station
    private var timer: DispatchSourceTimer?

    init(path: String, server: DICOMServer, station: Station) {
        self.path = path
        self.server = server
        self.station = station
    }

    struct Snapshot: Encodable {
        var associations: Int
        var waiting: [String]
        var jobs: [Station.JobSummary]
        var updated: String
    }

    func start() {
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now(), repeating: 2)
        t.setEventHandler { [weak self] in self?.write() }
        t.resume()
        timer = t
    }

    func stop() {
        timer?.cancel()
        write()
    }

    func write() {
        let s = station.status()
        let snap = Snapshot(associations: server.activeAssociations, waiting: s.waiting, jobs: s.jobs,
                            updated: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(snap) else { return }
        let temp = path + ".tmp"
        if FileManager.default.createFile(atPath: temp, contents: data) { _ = rename(temp, path) }
    }
}
