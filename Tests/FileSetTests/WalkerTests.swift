@testable import FileSet
import Testing
import TestSupport

/// The walk lists paths in sorted order without sorting them at the end: each folder's entries
/// sort with a folder's name followed by "/". Held here against a plain sort of every path.
@Suite(.tags(.unit)) struct WalkerTests {
    @Test func walkOrderIsSortedPathOrder() throws {
        let dir = try Folders.corpus()
        // Names where a folder and a file share a prefix: "AB/x" comes after "AB.c" and
        // "AB-" (both below "/") but before "AB0" and "ABC".
        for name in ["AB/x", "AB.c", "AB-", "AB0", "ABC", "AB/y/z", "ab", "A B/c", "AB/x0", "top"] {
            try Folders.write([0], name, in: dir)
        }
        let walked = try DirectoryWalker(root: dir).files
        #expect(walked == Folders.files(dir))
        #expect(walked == walked.sorted())
    }
}
