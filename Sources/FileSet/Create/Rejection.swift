/// Why a file cannot go into a file-set as it is, with the file when there is one: `create`
/// and `add` refuse the set on any of these, or with `--skip-invalid` leave exactly the files
/// named here out (and list them with the reason) and write the rest.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    /// The source file to leave out (as scanned: relative to the source, or absolute for add);
    /// nil for a problem no single file causes.
    public var path: String?
    public var message: String
    public var description: String { message }

    public init(_ path: String?, _ message: String) {
        self.path = path
        self.message = message
    }
}
