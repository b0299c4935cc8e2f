import DICOM
import FileSet
import Foundation
import Media
import Requests
import TOMLKit

/// Everything `dicomfs serve` runs with. Read from a TOML file (`serve --config FILE`, see
/// examples/station.toml); options given on the command line take precedence over the file.
/// A station answers several called AE titles, each with its own recipe (how its studies
/// become media) and its own list of calling AE titles allowed to send to it.
public struct StationSettings: Sendable {
    public var host = "0.0.0.0"
    public var port = 11112
    public var aeTitles: [String] = []
    public var spool: String?
    public var out: String?
    public var idleSeconds: Double = 60
    public var allowCallingAE: [String] = []
    public var allowAddress: [String] = []
    public var maxAssociations = 32
    public var maxPDU = 65_536
    public var timeout: Double = 60
    public var maxInstanceBytes: Int64?
    public var maxSpoolBytes: Int64?
    public var minFreeBytes: Int64 = 0
    public var makeJobs = true
    public var mcm = false
    public var mcmWait: Double = 60
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var tlsCA: String?
    public var status: String?
    public var logLevel = "info"
    /// The recipe of called AE titles without one of their own.
    public var recipe = Recipe()
    /// Called AE title → what is particular to it.
    public var titles: [String: Title] = [:]

    public struct Title: Sendable {
        public var recipe: Recipe
        /// Calling AE titles allowed to call this title (empty: the server's list).
        public var allowCallingAE: [String] = []
    }

    public init() {}

    /// Every called AE title answered: the listed ones and those with a section of their own.
    public var calledTitles: [String] {
        let all = Set(aeTitles).union(titles.keys)
        return all.isEmpty ? ["DICOMFS"] : all.sorted()
    }

    /// The recipes by called AE title, "*" for the rest (what `Station.Options.recipes` takes).
    public var recipes: [String: Recipe] {
        var r = ["*": recipe]
        for (ae, t) in titles { r[ae] = t.recipe }
        return r
    }
}

/// A configuration file that cannot be used: says which file, which section and key, and why.
public struct SettingsError: DescribedError {
    public var description: String
}

extension StationSettings {
    /// Reads `path`. Unknown sections and keys are errors (a misspelt key must not be ignored).
    public static func read(path: String) throws -> StationSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError(description: "\(path): cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SettingsError(description: "\(path): not UTF-8 text") }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> StationSettings {
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw SettingsError(description: "\(path):\(e.source.begin.line):\(e.source.begin.column): \(e.description)")
        } catch {
            throw SettingsError(description: "\(path): not a TOML document")
        }
        var s = StationSettings()
        let top = Section(root, path: path, name: "")
        try top.only(["server", "tls", "recipe", "ae"])
        if let server = try top.table("server") {
            s.host = try server.string("host") ?? s.host
            s.port = try server.int("port", 0...65_535) ?? s.port   // (0: any free port, for tests)
            s.aeTitles = try server.strings("ae") ?? s.aeTitles
            s.spool = try server.string("spool") ?? s.spool
            s.out = try server.string("out") ?? s.out
            s.idleSeconds = try server.seconds("idle") ?? s.idleSeconds
            s.allowCallingAE = try server.strings("allow-calling-ae") ?? s.allowCallingAE
            s.allowAddress = try server.strings("allow-address") ?? s.allowAddress
            s.maxAssociations = try server.int("max-associations", 1...1024) ?? s.maxAssociations
            s.maxPDU = try server.int("max-pdu", 4096...16_777_216) ?? s.maxPDU
            s.timeout = try server.seconds("timeout") ?? s.timeout
            s.maxInstanceBytes = try server.size("max-instance") ?? s.maxInstanceBytes
            s.maxSpoolBytes = try server.size("max-spool") ?? s.maxSpoolBytes
            s.minFreeBytes = try server.size("min-free") ?? s.minFreeBytes
            s.makeJobs = try server.bool("jobs") ?? s.makeJobs
            s.mcm = try server.bool("mcm") ?? s.mcm
            s.mcmWait = try server.seconds("mcm-wait", allowZero: true) ?? s.mcmWait
            s.status = try server.string("status") ?? s.status
            s.logLevel = try server.string("log-level") ?? s.logLevel
            try server.finish()
        }
        if let tls = try top.table("tls") {
            s.tlsCertificate = try tls.string("cert")
            s.tlsKey = try tls.string("key")
            s.tlsCA = try tls.string("ca")
            try tls.finish()
        }
        if let recipe = try top.table("recipe") {
            s.recipe = try recipe.recipe(over: s.recipe)
            try recipe.finish()
        }
        if let titles = try top.table("ae") {
            for name in titles.keys {
                guard let t = try titles.table(name) else { continue }
                try checkAETitle(name, "\(path): [ae.\(name)]")
                var title = Title(recipe: try t.recipe(over: s.recipe))
                title.allowCallingAE = try t.strings("allow-calling-ae") ?? []
                try t.finish()
                s.titles[name] = title
            }
        }
        for ae in s.aeTitles + s.allowCallingAE + s.titles.values.flatMap(\.allowCallingAE) {
            try checkAETitle(ae, path)
        }
        return s
    }

    /// PS3.5 AE: 1–16 characters of the default repertoire, no backslash, not all spaces.
    public static func checkAETitle(_ ae: String, _ context: String) throws {
        guard !ae.isEmpty, ae.count <= 16, !ae.contains("\\"), ae.allSatisfy({ $0.isASCII && !$0.isNewline }),
              !ae.allSatisfy({ $0 == " " }) else {
            throw SettingsError(description: "\(context): AE title \"\(ae)\": 1–16 ASCII characters, no backslash (PS3.5 AE)")
        }
    }
}

/// One table of the file, read key by key; `finish` refuses the keys nobody asked for.
private final class Section {
    let table: TOMLTable
    let path: String
    let name: String
    private var used: Set<String> = []

    init(_ table: TOMLTable, path: String, name: String) {
        self.table = table
        self.path = path
        self.name = name
    }

    var keys: [String] { table.keys.sorted() }

    private func fail(_ key: String, _ expected: String) -> SettingsError {
        SettingsError(description: "\(path): \(name.isEmpty ? "" : "[\(name)] ")\(key): expected \(expected)")
    }

    private func value(_ key: String) -> TOMLValueConvertible? {
        used.insert(key)
        return table[key]
    }

    func only(_ allowed: Set<String>) throws {
        for k in keys where !allowed.contains(k) {
            throw SettingsError(description: "\(path): unknown section [\(k)] (expected [server], [tls], [recipe] or [ae.TITLE])")
        }
        used.formUnion(allowed)
    }

    func table(_ key: String) throws -> Section? {
        guard let v = value(key) else { return nil }
        guard let t = v.table else { throw fail(key, "a table") }
        return Section(t, path: path, name: name.isEmpty ? key : name + "." + key)
    }

    func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.string else { throw fail(key, "a string") }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.bool else { throw fail(key, "true or false") }
        return b
    }

    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.int, range.contains(n) else { throw fail(key, "an integer \(range.lowerBound)–\(range.upperBound)") }
        return n
    }

    func seconds(_ key: String, allowZero: Bool = false) throws -> Double? {
        guard let v = value(key) else { return nil }
        guard let n = v.double ?? v.int.map(Double.init), n.isFinite, allowZero ? n >= 0 : n > 0, n <= 31_536_000 else {
            throw fail(key, "seconds, a number \(allowZero ? "from 0" : "above 0") up to a year")
        }
        return n
    }

    /// Bytes: an integer, or a string such as "700MB", "4.7GB", "2GiB".
    func size(_ key: String) throws -> Int64? {
        guard let v = value(key) else { return nil }
        if let n = v.int, n > 0 { return Int64(n) }
        guard let s = v.string, let n = MediaKind.parseSize(s) else { throw fail(key, "a size such as \"700MB\" or a number of bytes") }
        return n
    }

    /// A list of strings (a single string is a list of one).
    func strings(_ key: String) throws -> [String]? {
        guard let v = value(key) else { return nil }
        if let s = v.string { return [s] }
        guard let a = v.array else { throw fail(key, "a list of strings") }
        var out: [String] = []
        for item in a {
            guard let s = item.string else { throw fail(key, "a list of strings") }
            out.append(s)
        }
        return out
    }

    /// The recipe keys of this table over `base`.
    func recipe(over base: Recipe) throws -> Recipe {
        var r = base
        if let p = try string("profile") {
            guard let profile = ApplicationProfile.named(p) else {
                throw fail("profile", "one of " + ApplicationProfile.all.map(\.name).joined(separator: ", "))
            }
            r.profile = profile
        }
        r.web = try bool("web") ?? r.web
        r.viewer = try bool("viewer") ?? r.viewer
        r.copies = try int("copies", 1...99) ?? r.copies
        r.drives = try strings("drive") ?? r.drives
        r.capacity = try size("capacity") ?? r.capacity
        r.labelText = try string("label-text") ?? r.labelText
        if let style = try string("label-style") {
            guard let known = LabelStyle(rawValue: style.uppercased()) else { throw fail("label-style", "\"full\" or \"compact\"") }
            r.labelStyle = known
        }
        r.labelLogo = try string("label-logo") ?? r.labelLogo
        r.transcode = try bool("transcode") ?? r.transcode
        r.lossyQuality = try int("lossy-quality", 1...100) ?? r.lossyQuality
        r.skipInvalid = try bool("skip-invalid") ?? r.skipInvalid
        r.out = try string("out") ?? r.out
        if let g = try string("group") {
            guard g == "study" || g == "patient" else { throw fail("group", "\"study\" or \"patient\"") }
            r.perPatient = g == "patient"
        }
        return r
    }

    func finish() throws {
        for k in keys where !used.contains(k) {
            throw SettingsError(description: "\(path): \(name.isEmpty ? "" : "[\(name)] ")unknown key \"\(k)\"")
        }
    }
}
