import ArgumentParser
import FileSet
import WebContent

struct Web: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Write or rebuild the IHE PDI web content (and the viewer) of a file-set folder.",
        discussion: """
        Regenerates INDEX.HTM, README.TXT and IHE_PDI/ (with --viewer also VIEWER/) from the \
        DICOMDIR as it is now, and deletes every old web file it did not write again. The \
        DICOMDIR, its File-set UID and the DICOM files are not touched. `add` and `remove` do \
        this by themselves for a set that has web content.
        """
    )

    @Argument(help: "The file-set folder.", completion: .directory)
    var fileSet: String

    @Flag(inversion: .prefixedNo, help: "Include the offline viewer (default: keep what the set has).")
    var viewer: Bool?

    func run() throws {
        let present = WebContentWriter.presence(in: fileSet)
        let bar = ProgressBar()
        do {
            let r = try WebContentWriter.refresh(fileSet: fileSet, viewer: viewer ?? present.viewer) { bar.update($0, $1, $2) }
            bar.finish()
            if viewer == false && present.viewer { _ = try? WebContentWriter.dropViewer(fileSet: fileSet) }
            Output.text("Web content of \(fileSet): \(r.written) files written, \(r.deleted.count) old files deleted\n")
            for w in r.warnings { FileHandle.standardError("dicomfs: warning: \(w)") }
        } catch let e as WebContentError {
            bar.finish()
            throw failure(FileSetError.unusableInput("\(e)"))
        }
    }
}
