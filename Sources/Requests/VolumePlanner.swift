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

    /// What a volume takes besides its instances: per instance its record and, with web
    /// content, a rendering of at most a quarter of its bytes plus its share of the pages
    /// (8 KB); per volume 1 MB (DICOMDIR, README, pages) and 256 KB more for the viewer's own
    /// files. Measured renderings come to 3–16% of the instances' bytes (README: CT 7%, CR 4%,
    /// US 16%), so volumes planned this way fit with room to spare.
    struct Overhead {
        var web = false
        var viewer = false
        func perInstance(_ bytes: Int64) -> Int64 { 4096 + (web ? bytes / 4 + 8192 : 0) }
        var perVolume: Int64 { (1 << 20) + (viewer ? 256 << 10 : 0) }
    }

    /// Whether instances of these sizes fit one volume, by the reckoning `plan` uses.
    static func fitsOne(_ bytes: [Int64], capacity: Int64, overhead: Overhead = Overhead()) -> Bool {
        bytes.reduce(0) { $0 + $1 + overhead.perInstance($1) } <= capacity - overhead.perVolume
    }

    /// Each volume's items, with what each instance and volume takes besides counted.
    static func plan(_ items: [Item], capacity: Int64, overhead: Overhead = Overhead()) throws -> [[Item]] {
        let room = capacity - overhead.perVolume
        func size(_ group: [Item]) -> Int64 { group.reduce(0) { $0 + $1.bytes + overhead.perInstance($1.bytes) } }
        if let big = items.first(where: { $0.bytes + overhead.perInstance($0.bytes) > room }) { throw Failure.instanceTooLarge(big) }
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
