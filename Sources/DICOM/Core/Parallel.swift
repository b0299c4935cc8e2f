#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Processors online now: how many workers parallel work uses (here and in the modules
/// above).
public func onlineProcessors() -> Int {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}

/// `body(0..<count)` on up to `workers` threads, results in index order. Each index is
/// written by exactly one worker, so the slots need no lock. Public: every module above
/// (DICOMDIR parsing, scans, renderings, store scans) uses this one.
public func parallelMap<T>(_ count: Int, workers: Int = max(1, min(8, onlineProcessors())), _ body: @escaping (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let work = ParallelWork(count: count, body: body)
    DispatchQueue.concurrentPerform(iterations: min(max(1, workers), count)) { _ in work.run() }
    return work.takeResults()
}

/// The shared state of one parallelMap: distinct slots per index, a counter handing them out.
private final class ParallelWork<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>
    private let body: (Int) -> T
    private let next = WorkCounter()

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

    /// Every slot's result, moved out (no copy and no reference counting per item); the slots
    /// are left empty.
    func takeResults() -> [T] {
        [T](unsafeUninitializedCapacity: slots.count) { out, n in
            guard let from = slots.baseAddress, let to = out.baseAddress else { return }
            for i in 0..<slots.count {
                if let value = (from + i).move() { (to + n).initialize(to: value); n += 1 }
                (from + i).initialize(to: nil)
            }
        }
    }
}

/// A shared counter handing out work items (and counting progress) across threads.
public final class WorkCounter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()
    public init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }
    /// The value before this call, then one more.
    public func increment() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value - 1
    }
}

/// One `T` per thread, made on first use there and released when the thread ends: scratch
/// state for work spread over threads (read buffers, a scan's last values) without locks.
public final class PerThread<T: AnyObject>: @unchecked Sendable {
    private var key = pthread_key_t()
    private let make: @Sendable () -> T

    public init(_ make: @escaping @Sendable () -> T) {
        self.make = make
        pthread_key_create(&key) { p in if let p { Unmanaged<AnyObject>.fromOpaque(p).release() } }
    }

    /// This thread's instance.
    public var value: T {
        if let p = pthread_getspecific(key) { return Unmanaged<T>.fromOpaque(p).takeUnretainedValue() }
        let made = make()
        pthread_setspecific(key, Unmanaged.passRetained(made).toOpaque())
        return made
    }
}
