import DICOM

/// Where a file-set's files live, for the File-set Reader: a folder here, a disc image or an
/// optical drive in the Media module. Paths are relative to the file-set root, `/`-separated,
/// with the names as the medium stores them.
public protocol FileSetStorage: Sendable {
    /// Names the file-set in reports: the folder, the image or the device.
    var location: String { get }
    func fileExists(_ path: String) -> Bool
    /// The names in one directory ("" is the root); empty when it is not a directory.
    func entries(of directory: String) -> [String]
    /// Every regular file, recursively, in sorted order.
    func allFiles() throws -> [String]
    /// Random access to one file's bytes.
    func open(_ path: String) throws -> ByteSource
}

extension FileSetStorage {
    /// The path for `location` + a relative path, as error messages show it.
    public func display(_ path: String) -> String { location + "/" + path }
}

/// A file-set in a folder of the local file system. Every access goes through a
/// `ConfinedRoot`: nothing outside the folder is opened, no link is followed, and nothing but
/// regular files is read, whatever the DICOMDIR names.
public struct FolderStorage: FileSetStorage {
    public let root: String
    public let confined: ConfinedRoot
    public var location: String { root }

    public init(root: String) throws {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        confined = try ConfinedRoot(self.root)
    }

    public func fileExists(_ path: String) -> Bool { confined.kind(path) == .file }

    public func entries(of directory: String) -> [String] { confined.entries(of: directory) }

    /// Regular files only; links and special files are not followed (see `walk`).
    public func allFiles() throws -> [String] { try walk().files }

    /// The regular files, and what was passed over (symbolic links, FIFOs, devices) with why.
    public func walk() throws -> DirectoryWalker { try DirectoryWalker(root: root, followLinks: false) }

    public func open(_ path: String) throws -> ByteSource {
        do { return try confined.source(path) } catch let r as ConfinedRoot.Refusal {
            throw DICOMError(.io, r.reason, file: SystemPath.display(display(path)))
        }
    }
}

extension FileSetStorage {
    /// Where a referenced file is: its File ID as named, else the same components under other
    /// cases (discs mounted on Linux often show lower case); nil for a File ID the resolver
    /// refuses or a file that is not there.
    public func locate(_ id: FileID) -> String? {
        guard case .success = id.resolvedPath() else { return nil }
        if fileExists(id.path) { return id.path }
        var current = ""
        for component in id.components {
            guard let match = entries(of: current).first(where: { $0.uppercased() == component.uppercased() }) else { return nil }
            current += (current.isEmpty ? "" : "/") + match
        }
        return fileExists(current) ? current : nil
    }

    /// Reads one file of the storage as DICOM; errors name it by its display path.
    public func readDICOM(_ path: String, options: ReadOptions = ReadOptions()) throws -> DICOMFile {
        let name = display(path)
        do {
            return try DICOMFile.read(source: try open(path), path: name, options: options)
        } catch let e as DICOMError {
            throw e.withFile(name)
        }
    }
}
