import Dispatch

/// `body(0..<count)` on up to `workers` threads, results in index order. Each index is
/// written by exactly one worker, so the slots need no lock. Public: the feature modules
/// (renderings, store scans) use the same one.
public func parallelMap<T>(_ count: Int, workers: Int = max(1, min(8, sysconfCores())), _ body: @escaping (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let work = ParallelWork(count: count, body: body)
    DispatchQueue.concurrentPerform(iterations: min(max(1, workers), count)) { _ in work.run() }
    return work.results
}

/// The shared state of one parallelMap: distinct slots per index, a counter handing them out.
private final class ParallelWork<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>
    private let body: (Int) -> T
    private let next = Counter()

    init(count: Int, body: @escaping (Int) -> T) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
        self.body = body
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func run() {
        while true {
            let i = next.increment()
            guard i < slots.count else { return }
            slots[i] = body(i)
        }
    }

    var results: [T] { slots.compactMap { $0 } }
}

/// Drops the last reference to a large structure (tens of thousands of records or instances)
/// on another thread: freeing it then overlaps the work that follows instead of delaying it.
/// The caller must hold no other reference afterwards, or the freeing happens where that
/// reference ends.
func releaseInBackground<T>(_ value: T) {
    let box = ReleaseBox(value)
    DispatchQueue.global(qos: .utility).async { box.drop() }
}

private final class ReleaseBox<T>: @unchecked Sendable {
    private var value: T?
    init(_ value: T) { self.value = value }
    func drop() { value = nil }
}
