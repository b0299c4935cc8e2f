import ArgumentParser
import Dispatch
import FileSet
import Foundation
import Logging
import Media
import Network
import Requests
import Station

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
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

    @Option(help: ArgumentHelp("Station configuration (TOML): server, TLS, recipes per called AE title, allowed callers. Options given here take precedence.", valueName: "file"),
            completion: .file(extensions: ["toml"]))
    var config: String?

    @Option(help: "Address to listen on (127.0.0.1 for this machine only, 0.0.0.0 or :: for every interface; default 0.0.0.0).")
    var host: String?

    @Option(help: "TCP port (default 11112, the registered non-privileged DICOM port).")
    var port: Int?

    @Option(name: .customLong("ae"), help: "Called AE title to answer (repeatable; default DICOMFS).")
    var aeTitles: [String] = []

    @Option(help: "Folder for received instances.", completion: .directory)
    var spool: String?

    @Option(help: "Folder for the jobs and their images.", completion: .directory)
    var out: String?

    @Option(help: "Seconds without a new instance after which a study becomes a job (default 60).")
    var idle: Double?

    @Option(name: .customLong("allow-calling-ae"), help: "Calling AE title allowed to send (repeatable; default: any).")
    var allowCallingAE: [String] = []

    @Option(name: .customLong("allow-address"), help: "Peer address allowed to connect (repeatable; default: any).")
    var allowAddress: [String] = []

    @Option(help: "Associations served at once; more are rejected (transient; default 32).")
    var maxAssociations: Int?

    @Option(help: "Maximum PDU length advertised and accepted, in bytes (4096–16777216; default 65536).")
    var maxPdu: Int?

    @Option(help: "Seconds a silent association (or a connection without A-ASSOCIATE-RQ) is kept (default 60).")
    var timeout: Double?

    @Option(help: "Largest instance accepted, e.g. 2GB (A700 beyond; default 4GiB).")
    var maxInstance: String?

    @Option(help: "Largest the spool may grow, e.g. 200GB: instances beyond are refused with A700.")
    var maxSpool: String?

    @Option(help: "Free space to keep on OUT's disk, e.g. 5GB: a job that would leave less waits (an N-ACTION gets 0213H).")
    var minFree: String?

    @Option(help: "Profile of the discs (PS3.11; default STD-GEN-CD).")
    var profile: ApplicationProfile?

    @Flag(help: "Add IHE PDI web content to each disc.")
    var web = false

    @Flag(help: "Add the offline viewer to each disc.")
    var viewer = false

    @Option(help: "Copies of each disc (default 1).")
    var copies: Int?

    @Option(help: "Burn to these drives in turn (repeatable); without, the images stay in OUT.")
    var drive: [String] = []

    @Option(help: "Capacity of one volume, e.g. 700MB (default: the profile's medium).")
    var capacity: String?

    @Option(help: "Label Text printed on each disc's label.")
    var labelText: String?

    @Option(help: "Label style: full (patients and up to three studies each; default) or compact (one larger line per patient).")
    var labelStyle: LabelStyle?

    @Option(help: "A PNG logo drawn at the top of every label.", completion: .file(extensions: ["png"]))
    var labelLogo: String?

    @Flag(inversion: .prefixedNo, help: "Rewrite instances whose syntax the profile refuses as Explicit VR Little Endian (default on).")
    var transcode: Bool?

    @Option(help: "Quality (1–100) of the lossy compression a Media Creation request with Allow Lossy Compression YES gets, where the profile has a lossy syntax (default 90).")
    var lossyQuality: Int?

    @Flag(help: "Receive only: keep the studies in the spool and make no jobs.")
    var noJobs = false

    @Flag(help: "Media Creation Management SCP (PS3.4 Annex S): jobs come from N-CREATE/N-ACTION over the network, not from idle studies.")
    var mcm = false

    @Option(help: "With --mcm: seconds an initiated request waits for referenced instances still arriving (0: missing ones fail the N-ACTION at once; default 60).")
    var mcmWait: Double?

    @Option(help: "TLS: the server certificate chain (PEM). With --tls-key, the port speaks DICOM TLS only.", completion: .file())
    var tlsCert: String?

    @Option(help: "TLS: the server's private key (PEM).", completion: .file())
    var tlsKey: String?

    @Option(help: "TLS: CA certificates (PEM); clients must present a certificate one of them signed.", completion: .file())
    var tlsCa: String?

    @Option(help: "Write a JSON status (associations, studies waiting, spool bytes, jobs) to this file every few seconds.", completion: .file())
    var status: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error (default info).")
    var logLevel: String?

    @Option(help: ArgumentHelp("Stop after this many seconds (tests).", visibility: .hidden))
    var stopAfter: Double?

    func validate() throws {
        if let port, !(1...65_535).contains(port) && port != 0 { throw ValidationError("--port \(port): 1–65535") }
        if let maxPdu, !(4096...16_777_216).contains(maxPdu) { throw ValidationError("--max-pdu \(maxPdu): 4096–16777216") }
        if let copies, !(1...99).contains(copies) { throw ValidationError("--copies \(copies): 1–99") }
        if let lossyQuality, !(1...100).contains(lossyQuality) { throw ValidationError("--lossy-quality \(lossyQuality): 1–100") }
        for ae in aeTitles + allowCallingAE {
            do { try StationSettings.checkAETitle(ae, "--ae/--allow-calling-ae") } catch let e as SettingsError { throw ValidationError(e.description) }
        }
        if (idle.map { $0 <= 0 } ?? false) || (timeout.map { $0 <= 0 } ?? false) { throw ValidationError("--idle and --timeout are seconds above 0") }
        if let mcmWait, mcmWait < 0 { throw ValidationError("--mcm-wait \(mcmWait): seconds, 0 or more") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCa != nil && tlsCert == nil { throw ValidationError("--tls-ca needs --tls-cert and --tls-key") }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level \(logLevel): trace, debug, info, notice, warning, error or critical") }
        if config == nil && (spool == nil || out == nil) { throw ValidationError("--spool and --out are needed (or a --config file naming them)") }
    }

    /// The configuration file's settings (or the defaults), with the options given here over them.
    func settings() throws -> StationSettings {
        var s = StationSettings()
        if let config {
            do { s = try StationSettings.read(path: config) } catch let e as SettingsError { throw failure(FileSetError.unusableInput(e.description)) }
        }
        func size(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            guard let n = MediaKind.parseSize(text) else { throw ValidationError("--\(name) \(text): expected a size such as 700MB") }
            return n
        }
        if let host { s.host = host }
        if let port { s.port = port }
        if !aeTitles.isEmpty { s.aeTitles = aeTitles }
        if let spool { s.spool = spool }
        if let out { s.out = out }
        if let idle { s.idleSeconds = idle }
        if !allowCallingAE.isEmpty { s.allowCallingAE = allowCallingAE }
        if !allowAddress.isEmpty { s.allowAddress = allowAddress }
        if let maxAssociations { s.maxAssociations = maxAssociations }
        if let maxPdu { s.maxPDU = maxPdu }
        if let timeout { s.timeout = timeout }
        if let n = try size(maxInstance, "max-instance") { s.maxInstanceBytes = n }
        if let n = try size(maxSpool, "max-spool") { s.maxSpoolBytes = n }
        if let n = try size(minFree, "min-free") { s.minFreeBytes = n }
        if noJobs { s.makeJobs = false }
        if mcm { s.mcm = true }
        if let mcmWait { s.mcmWait = mcmWait }
        if let tlsCert { s.tlsCertificate = tlsCert; s.tlsKey = tlsKey; s.tlsCA = tlsCa }
        if let status { s.status = status }
        if let logLevel { s.logLevel = logLevel }
        // Recipe options: the recipe of called AE titles without one of their own.
        if let profile { s.recipe.profile = profile }
        if web { s.recipe.web = true }
        if viewer { s.recipe.viewer = true }
        if let copies { s.recipe.copies = copies }
        if !drive.isEmpty { s.recipe.drives = drive }
        if let n = try size(capacity, "capacity") { s.recipe.capacity = n }
        if let labelText { s.recipe.labelText = labelText }
        if let labelStyle { s.recipe.labelStyle = labelStyle }
        if let labelLogo { s.recipe.labelLogo = labelLogo }
        if let transcode { s.recipe.transcode = transcode }
        if let lossyQuality { s.recipe.lossyQuality = lossyQuality }
        return s
    }

    func run() throws {
        let s = try settings()
        let level = Logger.Level(rawValue: s.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "dicomfs.serve")
        let running: StationServer   // (the server logs "listening" with its port)
        do { running = try StationServer.start(s, logger: logger) } catch let e as SettingsError {
            throw failure(FileSetError.unusableInput(e.description))
        }

        // SIGTERM / SIGINT end the wait below; the handlers run on a queue, not in the signal.
        let done = DispatchSemaphore(value: 0)
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { done.signal() }
            source.resume()
            sources.append(source)
        }
        if let stopAfter { _ = done.wait(timeout: .now() + stopAfter) } else { done.wait() }
        running.stop()
        _ = sources
    }
}
