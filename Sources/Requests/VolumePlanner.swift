/// Splits a request's instances over volumes of a given capacity, at patient, then study,
/// then series boundaries, instances last (PS3.4 S.3.2.1.1: media splitting), keeping the
/// order of the request within each group.
struct VolumePlanner {
    struct Item {
        var sopInstanceUID: String
        var patient: String, study: String, series: String
        var bytes: Int64
    }

    enum Failure: Error {
        case instanceTooLarge(Item)
    }

    /// Whether instances of these sizes fit one volume, by the reckoning `plan` uses.
    static func fitsOne(_ bytes: [Int64], capacity: Int64, perInstanceOverhead: Int64 = 4096, fixedOverhead: Int64 = 1 << 20) -> Bool {
        bytes.reduce(0) { $0 + $1 + perInstanceOverhead } <= capacity - fixedOverhead
    }

    /// What a volume's web content adds, as planned: per image a rendering of at most a
    /// quarter of its bytes plus its share of the pages (8 KB), and 256 KB for the viewer's
    /// own files and index. Measured renderings come to 3–16% of the instances' bytes
    /// (README: CT 7%, CR 4%, US 16%), so volumes planned this way fit with room to spare.
    static func overhead(web: Bool, viewer: Bool, bytes: Int64) -> Int64 {
        4096 + (web ? bytes / 4 + 8192 : 0)
    }

    /// Each volume's items, with web content (and the viewer) counted when the volumes will carry it.
    static func plan(_ items: [Item], capacity: Int64, web: Bool, viewer: Bool) throws -> [[Item]] {
        let weighted = items.map { i -> Item in
            var w = i
            w.bytes += overhead(web: web, viewer: viewer, bytes: i.bytes) - 4096
            return w
        }
        let byUID = Dictionary(items.map { ($0.sopInstanceUID, $0) }, uniquingKeysWith: { a, _ in a })
        let fixed: Int64 = (1 << 20) + (viewer ? 256 << 10 : 0)
        do {
            return try plan(weighted, capacity: capacity, fixedOverhead: fixed).map { $0.compactMap { byUID[$0.sopInstanceUID] } }
        } catch Failure.instanceTooLarge(let item) {
            throw Failure.instanceTooLarge(byUID[item.sopInstanceUID] ?? item)
        }
    }

    /// Each volume's items. `overhead` is added per volume (DICOMDIR, web content estimate).
    static func plan(_ items: [Item], capacity: Int64, perInstanceOverhead: Int64 = 4096, fixedOverhead: Int64 = 1 << 20) throws -> [[Item]] {
        let room = capacity - fixedOverhead
        func size(_ group: [Item]) -> Int64 { group.reduce(0) { $0 + $1.bytes + perInstanceOverhead } }
        if let big = items.first(where: { $0.bytes + perInstanceOverhead > room }) { throw Failure.instanceTooLarge(big) }
        var volumes: [[Item]] = [[]]
        var used: Int64 = 0
        /// Places a group whole where it fits, else whole on a fresh volume, else split one
        /// level down (a single instance always fits a volume: checked above).
        func place(_ group: [Item], level: Int) {
            let s = size(group)
            if used + s <= room { volumes[volumes.count - 1] += group; used += s; return }
            if s <= room {
                if volumes[volumes.count - 1].isEmpty { volumes[volumes.count - 1] = group } else { volumes.append(group) }
                used = s
                return
            }
            for sub in split(group, level: level + 1) { place(sub, level: level + 1) }
        }
        for patient in split(items, level: 0) { place(patient, level: 0) }
        return volumes.filter { !$0.isEmpty }
    }

    /// Groups by patient (level 0), study (1), series (2) or instance (3), in first-seen order.
    static func split(_ items: [Item], level: Int) -> [[Item]] {
        func key(_ i: Item) -> String {
            switch level {
            case 0: return i.patient
            case 1: return i.study
            case 2: return i.series
            default: return i.sopInstanceUID
            }
        }
        var order: [String] = []
        var groups: [String: [Item]] = [:]
        for i in items {
            let k = key(i)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(i)
        }
        return order.map { groups[$0] ?? [] }
    }
}
