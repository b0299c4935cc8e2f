import DICOM
import Dispatch
import Foundation
import Logging
import Network

/// A running station: the Storage SCP (and Media Creation Management SCP with `mcm`) on
/// its port, the station turning idle studies into jobs, and the status file — assembled
/// from `StationSettings` so that `serve` only parses and waits for a signal.
public final class StationServer: @unchecked Sendable {
    // `@unchecked Sendable`: every property is set in `start` and only read afterwards;
    // `stop` is called once, by the thread that started it.
    public let station: Station
    public let server: DICOMServer
    public let mediaCreation: MediaCreationSCP?
    public let port: Int
    private let statusWriter: StatusWriter?
    private let logger: Logger

    /// Starts listening. Errors are `SettingsError`s naming what cannot be used.
    public static func start(_ s: StationSettings, logger: Logger) throws -> StationServer {
        guard let spoolPath = s.spool, let outPath = s.out else {
            throw SettingsError(description: "a spool and an out folder are needed (--spool, --out, or [server] spool/out in --config)")
        }
        var options = Station.Options(spool: spoolPath, out: outPath)
        options.idleSeconds = s.idleSeconds
        options.makeJobs = s.makeJobs && !s.mcm
        options.recipes = s.recipes
        options.minFreeBytes = s.minFreeBytes
        let station: Station
        do { station = try Station(options: options, logger: logger) } catch {
            throw SettingsError(description: "cannot use the spool \(spoolPath) or out \(outPath): \(userText(error, otherwise: "a folder cannot be created there"))")
        }
        if let n = s.maxInstanceBytes { station.spool.maxInstanceBytes = Int(clamping: n) }
        station.spool.maxSpoolBytes = s.maxSpoolBytes

        var config = ServerConfiguration()
        config.aeTitles = Set(s.calledTitles)
        config.allowedCallingAETitles = Set(s.allowCallingAE)
        for (ae, t) in s.titles where !t.allowCallingAE.isEmpty { config.allowedCallingByCalled[ae] = Set(t.allowCallingAE) }
        config.allowedAddresses = Set(s.allowAddress)
        config.maxAssociations = s.maxAssociations
        config.maxPDULength = UInt32(s.maxPDU)
        config.artimSeconds = s.timeout
        config.idleSeconds = s.timeout
        var services: [NormalizedService] = []
        var mediaCreation: MediaCreationSCP?
        if s.mcm {
            do {
                let scp = try MediaCreationSCP(jobsFolder: outPath + "/mcm", store: spoolPath, recipes: s.recipes, logger: logger)
                scp.waitForInstances = s.mcmWait
                scp.minFreeBytes = s.minFreeBytes
                services.append(scp)
                mediaCreation = scp
            } catch { throw SettingsError(description: "cannot use the out folder \(outPath): \(userText(error, otherwise: "a folder cannot be created there"))") }
        }
        if (s.tlsCertificate == nil) != (s.tlsKey == nil) { throw SettingsError(description: "a TLS certificate and key go together") }
        let tls = s.tlsCertificate.map { TLSSettings(certificate: $0, key: s.tlsKey ?? "", trustedCA: s.tlsCA) }
        let server = DICOMServer(configuration: config, storage: StationStorage(station), services: services, logger: logger, tls: tls)
        let port: Int
        do { port = try server.start(host: s.host, port: s.port) } catch let e as NetworkError {
            throw SettingsError(description: e.description)
        } catch {
            throw SettingsError(description: "cannot listen on \(s.host):\(s.port) (TLS certificate, key or CA unusable?)")
        }
        station.start()
        let status = s.status.map { StatusWriter(path: $0, server: server, station: station) }
        status?.start()
        return StationServer(station: station, server: server, mediaCreation: mediaCreation, port: port, statusWriter: status, logger: logger)
    }

    private init(station: Station, server: DICOMServer, mediaCreation: MediaCreationSCP?, port: Int, statusWriter: StatusWriter?, logger: Logger) {
        self.station = station
        self.server = server
        self.mediaCreation = mediaCreation
        self.port = port
        self.statusWriter = statusWriter
        self.logger = logger
    }

    /// Ends every association (an instance not complete is discarded), lets a running job
    /// finish, writes the status a last time.
    public func stop() {
        logger.info("stopping")
        server.stop()
        station.stop()
        mediaCreation?.drain()
        statusWriter?.stop()
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
        var spoolBytes: Int64
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
        let snap = Snapshot(associations: server.activeAssociations, waiting: s.waiting, spoolBytes: station.spool.heldBytes, jobs: s.jobs,
                            updated: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(snap) else { return }
        let temp = path + ".tmp"
        if FileManager.default.createFile(atPath: temp, contents: data) { _ = rename(temp, path) }
    }
}
