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
public func parallelMap<T>(_ count: Int, workers: Int = max(1, min(8, onlineProcessors())), _ body: @escaping @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let threads = min(max(1, workers), count)
    let work = ParallelWork(count: count, workers: threads, body: body)
    DispatchQueue.concurrentPerform(iterations: threads) { _ in work.run() }
    return work.takeResults()
}

/// `body(0..<count)` on `threads` threads of its own, results in index order: for work that
/// mostly waits on a slow disk (a cold cache), where more reads in flight shorten the wait
/// and `concurrentPerform`'s pool, sized to the processors, would keep the disk's queue short.
public func parallelMapWaiting<T>(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let n = min(max(1, threads), count)
    let work = ParallelWork(count: count, workers: n, body: body)
    let done = DispatchSemaphore(value: 0)
    for _ in 0..<n {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(WaitingWorker { work.run(); done.signal() })
        if pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<WaitingWorker>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, box.toOpaque()) == 0 {
            pthread_detach(thread)
        } else {
            box.takeRetainedValue().run()   // no thread to be had: the caller does the share
        }
    }
    for _ in 0..<n { done.wait() }
    return work.takeResults()
}

/// One `parallelMapWaiting` thread's job. `@unchecked Sendable`: created before its thread
/// starts and run once by it.
private final class WaitingWorker: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// The shared state of one parallelMap: distinct slots per index, a counter handing them out.
/// `@unchecked Sendable`: each slot is written by the one worker its index was handed to, and
/// read only after every worker has returned (`concurrentPerform` waits for them).
private final class ParallelWork<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>
    private let body: @Sendable (Int) -> T
    private let next = WorkCounter()
    private let workers: Int

    init(count: Int, workers: Int, body: @escaping @Sendable (Int) -> T) {
        self.workers = max(1, workers)
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
        self.body = body
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// Indices are handed out in runs: one lock per run rather than per item, and neighbouring
    /// slots (which share cache lines) are mostly written by the same worker. Runs are short
    /// enough (1/64 of a worker's share, at most 64) that no worker is left with much at the end.
    func run() {
        let run = max(1, min(64, slots.count / (workers * 64)))
        while true {
            let start = next.increment(by: run)
            guard start < slots.count else { return }
            for i in start..<min(start + run, slots.count) { slots[i] = body(i) }
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
/// `@unchecked Sendable`: its one value is read and written only under its mutex.
public final class WorkCounter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()
    public init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }
    /// The value before this call, then `n` more.
    public func increment(by n: Int = 1) -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += n
        return value - n
    }
}

/// One `T` per thread, made on first use there and released when the thread ends: scratch
/// state for work spread over threads (read buffers, a scan's last values) without locks.
/// `@unchecked Sendable`: the key is set in `init` and never changed; each thread reaches only
/// its own value through it.
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
