import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a file the way every `--out` of Assay does (DESIGN.md: "`--out` writes atomically and never replaces
/// a file without `--force`"): whole or not at all, never through a symbolic link, never over an existing file
/// unless asked.
///
/// The bytes go to a new temporary file in the target's own folder (created by `mkstemp`: mode 0600 from the
/// first instant), are flushed to disk (`fsync`), get their final mode, and only then take the target's name.
/// A new file takes it with `renameat2(…, RENAME_NOREPLACE)`, which refuses, atomically, a file of that name
/// that appeared meanwhile; where the file system or kernel lacks it (`EINVAL`, `ENOSYS`), with `link` and
/// `unlink` of the temporary name, which refuse it too; where neither exists (no `renameat2` and no hard
/// links: some network and FUSE mounts), the write is refused with what to do. FAT and exFAT drives have
/// `renameat2`. With `--force`, `rename` replaces the file (atomic: a reader sees the old file or the new
/// one, never a mix). The folder is then flushed too. On any error — a full disk, a file-size limit, a
/// folder that does not exist or cannot be written — the temporary file is removed and the target is left
/// as it was.
///
/// The temporary file is named `.assay-tmp-` and six random characters (``temporaryPrefix``), whatever the
/// target's name, so it fits the file system's limit on a name (255 bytes) whenever the target does, and a
/// file left behind when the process was killed mid-write is recognisable: it holds an unfinished output of
/// Assay and can be deleted. (`O_TMPFILE`, a file with no name until done, was not used: its only way to a
/// name is a hard link, which is what the file systems above lack.)
///
/// Refused, whatever `replace` says: a symbolic link at the target (its target stays untouched; the link is
/// not followed), a folder, anything that is not a regular file.
enum AtomicFile {
    /// Why the file was not written: the message to print after `assay: `.
    struct Failure: Error, Equatable {
        let message: String
    }

    /// Writes `bytes` to `path`. `replace`: the user gave `--force`, so an existing regular file may be
    /// replaced. `mode`: the new file's permissions (default: 0666 less the umask, as any new file; a replaced
    /// file keeps its own unless `mode` is given).
    /// `beforePublishing` runs after the bytes are on disk, just before the temporary file takes the target's
    /// name (tests use it to make a file appear there meanwhile).
    static func write(
        _ bytes: [UInt8], to path: String, replace: Bool, mode: mode_t? = nil, beforePublishing: () -> Void = {}
    ) throws(Failure) {
        let (exists, existing) = try check(path, replace: replace)
        let folder = folder(of: path)
        let finalMode = mode ?? (exists ? existing.st_mode & 0o7777 : 0o666 & ~currentUmask())

        // A file-size limit (RLIMIT_FSIZE) must fail the write with EFBIG, not kill the process with SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        var template = Array((folder + "/" + temporaryPrefix + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, errno, exists: exists) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var published = false
        defer { if !published { unlink(temporary) } }

        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd)
                throw failure(path, e, exists: exists)
            }
            offset += n
        }
        guard fchmod(fd, finalMode) == 0, fsync(fd) == 0 else {
            let e = errno
            close(fd)
            throw failure(path, e, exists: exists)
        }
        guard close(fd) == 0 else { throw failure(path, errno, exists: exists) }

        beforePublishing()
        if replace {
            // rename replaces the name itself: a link put there meanwhile is replaced, never followed.
            guard rename(temporary, path) == 0 else { throw failure(path, errno, exists: exists) }
            published = true
        } else {
            try publishNew(temporary, as: path)
            published = true
        }
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    /// Checks, without writing, that `path` can be written: refuses a link, a folder, a special file, an
    /// existing file unless `replace`, a folder that does not exist. Commands call it before their work, so
    /// a refused target costs nothing; ``write(_:to:replace:mode:)`` checks again.
    @discardableResult
    static func check(_ path: String, replace: Bool) throws(Failure) -> (exists: Bool, status: stat) {
        guard !path.isEmpty else { throw Failure(message: "cannot write '': give a file name") }
        let folder = folder(of: path)
        var existing = stat()
        let exists = lstat(path, &existing) == 0
        if exists {
            switch existing.st_mode & S_IFMT {
            case S_IFLNK:
                throw Failure(
                    message: "\(path) is a symbolic link; not written (Assay never writes through a link: give the path of the file itself)")
            case S_IFDIR:
                throw Failure(message: "cannot write \(path): it is a folder; give the name of a file to write")
            case S_IFREG:
                if !replace { throw Failure(message: "\(path) already exists; not overwritten (give --force to replace it)") }
            default:
                throw Failure(message: "cannot write \(path): it is not a regular file (a device, pipe or socket); give the name of a file")
            }
        } else if errno != ENOENT {
            throw failure(path, errno, exists: false)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure(message: "cannot write \(path): the folder \(folder) does not exist; create it first, or give another path")
        }
        return (exists, existing)
    }

    /// The start of every temporary file's name; six random characters follow.
    static let temporaryPrefix = ".assay-tmp-"

    /// Gives the finished `temporary` file the name `path`, which must still be free: `renameat2` with
    /// `RENAME_NOREPLACE`, else `link` + `unlink`. A file that took the name meanwhile is refused, and kept.
    private static func publishNew(_ temporary: String, as path: String) throws(Failure) {
        let exists = Failure(message: "\(path) already exists; not overwritten (give --force to replace it)")
        let renamed = renameNoReplace(temporary, path)
        if renamed == 0 { return }
        let renameError = errno
        if renamed < 0, renameError == EEXIST { throw exists }
        guard renamed > 0 || [EINVAL, ENOSYS, EOPNOTSUPP].contains(renameError) else {
            throw failure(path, renameError, exists: false)
        }
        // No renameat2 here: a hard link, which fails if the name is taken, then the temporary name goes.
        guard link(temporary, path) == 0 else {
            let e = errno
            if e == EEXIST { throw exists }
            if [EPERM, EOPNOTSUPP, ENOSYS, EMLINK].contains(e) {
                throw Failure(
                    message: "cannot write \(path): this file system can neither create a file without the risk of replacing one made meanwhile (no renameat2 with RENAME_NOREPLACE) nor make hard links (\(String(cString: strerror(e)))); nothing was written, no file was made — write to a folder on another disk and copy the file, or give --force to write it here anyway")
            }
            throw failure(path, e, exists: false)
        }
        unlink(temporary)
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// `renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE)`: 0, or -1 with `errno`; 1 when the C
    /// library has no `renameat2` (glibc before 2.28; Swift's Glibc module does not declare it).
    private static func renameNoReplace(_ from: String, _ to: String) -> Int32 {
        guard let symbol = dlsym(nil, "renameat2") else { return 1 }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */)
    }

    private static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// The failure for error number `code` while writing `path`.
    private static func failure(_ path: String, _ code: Int32, exists: Bool) -> Failure {
        let left = exists ? "\(path) is unchanged" : "no file was made"
        let reason: String
        switch code {
        case ENOSPC, EDQUOT: reason = "the disk is full (\(String(cString: strerror(code))))"
        case EFBIG: reason = "the file would exceed the size limit (\(String(cString: strerror(code))))"
        default: reason = String(cString: strerror(code))
        }
        return Failure(message: "cannot write \(path): \(reason); nothing was written, \(left)")
    }

    /// The process's umask, read without changing it (Linux: /proc/self/status), else the usual 022.
    private static func currentUmask() -> mode_t {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
            let value = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        {
            return value
        }
        return 0o022
    }
}
