import Dispatch

/// Drops the last reference to a large structure (tens of thousands of records or instances)
/// on another thread: freeing it then overlaps the work that follows instead of delaying it.
/// The caller must hold no other reference afterwards, or the freeing happens where that
/// reference ends.
func releaseInBackground<T>(_ value: T) {
    let box = ReleaseBox(value)
    DispatchQueue.global(qos: .utility).async { box.drop() }
}

/// `@unchecked Sendable`: the caller gives up the value; only the background job touches it.
private final class ReleaseBox<T>: @unchecked Sendable {
    private var value: T?
    init(_ value: T) { self.value = value }
    func drop() { value = nil }
}
