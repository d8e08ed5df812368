import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What is in a folder: names and bytes (symbolic links as "-> TARGET"), to show that nothing else changed.
func folderContents(_ dir: URL) -> [String: Data] {
    var contents: [String: Data] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
        let path = dir.appendingPathComponent(name).path
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            contents[name] = Data("-> \(target)".utf8)
        } else {
            contents[name] = FileManager.default.contents(atPath: path) ?? Data("(folder or unreadable)".utf8)
        }
    }
    return contents
}

func fileText(_ path: String) -> String? { FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

/// `--out FILE` of every command that writes a file: whole or not at all, never over an existing file without
/// `--force`, never through a symbolic link; a folder, a missing folder, a full disk and a file-size limit
/// leave everything as it was, with exit 1 and a message that says what to do.
@Suite("--out never destroys a file: atomic writes, --force, links, folders, a full disk", .serialized)
struct OutFileTests {
    static let rubric = "rubrics/medical-imaging-technology.xml"

    /// The report commands, each as a user would run it (the report on standard output without --out).
    static let reportCommands: [[String]] = [
        ["matrix", rubric],
        ["matrix", rubric, "--format", "html"],
        ["export-case", rubric],
        ["results", rubric, "nmit-2025", "examples/competition/nmit-2025-marks.csv", "--format", "csv"],
        [
            "diff", rubric, "examples/design/medical-imaging-technology-2026-draft.xml", "examples/evidence/cohort-2025.xml",
            "--as-of", "2026-01-15", "--format", "csv",
        ],
    ]

    static func exists(_ path: String) -> String { "assay: \(path) already exists; not overwritten (give --force to replace it)\n" }
    static func link(_ path: String) -> String {
        "assay: \(path) is a symbolic link; not written (Assay never writes through a link: give the path of the file itself)\n"
    }

    @Test("every report command: an existing file is refused without --force and replaced with --force; a new file is the report, whole", arguments: reportCommands)
    func existingFile(_ command: [String]) throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = runAssay(command)
        #expect(!expected.out.isEmpty)
        let file = dir.appendingPathComponent("victim.pem").path
        try "-----BEGIN PRIVATE KEY-----\nprecious\n".write(toFile: file, atomically: false, encoding: .utf8)

        let refused = runAssay(command + ["--out", file])
        #expect(refused.code == 1)
        #expect(refused.out == "")
        #expect(refused.err == Self.exists(file))
        #expect(fileText(file) == "-----BEGIN PRIVATE KEY-----\nprecious\n")

        let forced = runAssay(command + ["--out", file, "--force"])
        #expect(forced.code == expected.code)
        #expect(forced.out == "")
        #expect(forced.err == expected.err)
        #expect(fileText(file) == expected.out)

        let new = dir.appendingPathComponent("new report").path
        let fresh = runAssay(command + ["--out", new])
        #expect(fresh.code == expected.code && fresh.out == "" && fresh.err == expected.err)
        #expect(fileText(new) == expected.out)
        #expect(Set(folderContents(dir).keys) == ["victim.pem", "new report"])  // no temporary file left behind
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: new)[.posixPermissions] as? Int)
        #expect(mode & 0o002 == 0 && mode & 0o600 == 0o600)

        #expect(runAssay(command + ["--force"]).err == "assay: --force needs --out FILE\nRun 'assay --help' for usage.\n")
        #expect(runAssay(command + ["--force"]).code == 2)
    }

    @Test("a symbolic link at the target is refused, even with --force; the file it points to is untouched", arguments: reportCommands.prefix(3))
    func symbolicLink(_ command: [String]) throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let victim = dir.appendingPathComponent("registrar.pem").path
        try "precious key\n".write(toFile: victim, atomically: false, encoding: .utf8)
        let link = dir.appendingPathComponent("report.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "registrar.pem")
        let dangling = dir.appendingPathComponent("dangling.txt").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "not-yet.txt")
        let before = folderContents(dir)
        for args in [["--out", link], ["--out", link, "--force"], ["--out", dangling], ["--out", dangling, "--force"]] {
            let r = runAssay(command + args)
            #expect(r.code == 1)
            #expect(r.out == "")
            #expect(r.err == Self.link(args[1]))
        }
        #expect(folderContents(dir) == before)
        #expect(fileText(victim) == "precious key\n")
    }

    @Test("a folder as the target, a folder that does not exist, a device: exit 1, nothing made")
    func folders() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        for force in [[], ["--force"]] {
            let folder = runAssay(["matrix", Self.rubric, "--out", dir.path] + force)
            #expect(folder.code == 1)
            #expect(folder.err == "assay: cannot write \(dir.path): it is a folder; give the name of a file to write\n")
            let missing = dir.appendingPathComponent("no such folder/matrix.txt").path
            let m = runAssay(["matrix", Self.rubric, "--out", missing] + force)
            #expect(m.code == 1)
            #expect(
                m.err == "assay: cannot write \(missing): the folder \(dir.appendingPathComponent("no such folder").path) does not exist; create it first, or give another path\n")
            let device = runAssay(["export-case", Self.rubric, "--out", "/dev/null"] + force)
            #expect(device.code == 1)
            #expect(device.err == "assay: cannot write /dev/null: it is not a regular file (a device, pipe or socket); give the name of a file\n")
        }
        #expect(folderContents(dir).isEmpty)
    }

    @Test("keygen: an existing key is never overwritten without --force; the key file is 0600 from its first instant, even with umask 000")
    func keygen() throws {
        // strace shows the mode given to open(2); `make deps` installs it (Debian package strace).
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "install strace (make deps does)")
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("registrar.pem").path
        let first = runAssay(["keygen", "--out", key])
        #expect(first.code == 0)
        let pem = try #require(fileText(key))
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let again = runAssay(["keygen", "--out", key])
        #expect(again.code == 1 && again.out == "")
        #expect(again.err == Self.exists(key))
        #expect(fileText(key) == pem)
        let link = dir.appendingPathComponent("link.pem").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "registrar.pem")
        let viaLink = runAssay(["keygen", "--out", link, "--force"])
        #expect(viaLink.code == 1 && viaLink.err == Self.link(link))
        #expect(fileText(key) == pem)

        // Replacing it with --force, under umask 000: every file keygen creates is created 0600 (the mode given
        // to open(2) itself, read from strace), and never given other permissions after.
        let trace = dir.appendingPathComponent("strace.log").path
        let forced = try RecordsCLI.exec(
            URL(fileURLWithPath: "/usr/bin/strace"),
            [
                "-f", "-o", trace, "-e", "trace=open,openat,creat,chmod,fchmod,fchmodat", "/bin/sh", "-c",
                "umask 000; exec \"$0\" keygen --out \"$1\" --force --alg RS256", try RecordsCLI.binary().path, key,
            ])
        #expect(forced.code == 0)
        #expect(forced.err.hasSuffix("wrote \(key) (RSA-2048, mode 0600)\n"))
        let replaced = try #require(fileText(key))
        #expect(replaced != pem && replaced.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int == 0o600)
        let calls = (fileText(trace) ?? "").split(separator: "\n").filter {
            ($0.contains(dir.path) && $0.contains("O_CREAT")) || $0.contains("chmod(")
        }
        #expect(calls.contains { $0.contains("O_CREAT|O_EXCL, 0600) = ") })  // the temporary file, made by mkstemp
        #expect(calls.allSatisfy { $0.contains(", 0600)") }, "\(calls)")
        try FileManager.default.removeItem(atPath: trace)
        #expect(Set(folderContents(dir).keys) == ["registrar.pem", "link.pem"])
    }

    @Test("export: an existing file is refused without --force (exact message), replaced with --force; a link is refused")
    func export() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        _ = runAssay(["recognize", Self.rubric, "examples/evidence/cohort-2025.xml", "--as-of", "2026-07-01", "--candidate", "S2025001", "--key", key, "--ledger", db])
        let id = "b9042946-8f72-8074-8f03-08812da8a0c2"
        let expected = runAssay(["export", id, "--ledger", db])
        #expect(expected.code == 0 && expected.out.contains(#""jwt": "#))
        let keyText = fileText(key)
        let refused = runAssay(["export", id, "--ledger", db, "--out", key])
        #expect(refused.code == 1 && refused.err == Self.exists(key))
        #expect(fileText(key) == keyText)
        let link = dir.appendingPathComponent("record.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "issuer.pem")
        let viaLink = runAssay(["export", id, "--ledger", db, "--out", link, "--force"])
        #expect(viaLink.code == 1 && viaLink.err == Self.link(link))
        #expect(fileText(key) == keyText)
        let file = dir.appendingPathComponent("S2025001.json").path
        try "old\n".write(toFile: file, atomically: false, encoding: .utf8)
        let forced = runAssay(["export", id, "--ledger", db, "--out", file, "--force"])
        #expect(forced.code == 0 && forced.out == "" && forced.err == "")
        #expect(fileText(file) == expected.out)
    }

    @Test("a file-size limit (RLIMIT_FSIZE, a child process): exit 1, the old file unchanged, no temporary file left")
    func fileSizeLimit() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("matrix.html").path
        try "old matrix\n".write(toFile: file, atomically: false, encoding: .utf8)
        // ulimit -f 8: 4 or 8 KiB (sh counts 512- or 1024-byte blocks); the HTML matrix is about 23 KB.
        let r = try RecordsCLI.exec(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "ulimit -f 8; exec \"$0\" matrix \"$1\" --format html --out \"$2\" --force", try RecordsCLI.binary().path, Self.rubric, file])
        #expect(r.code == 1)
        #expect(r.err == "assay: cannot write \(file): the file would exceed the size limit (File too large); nothing was written, \(file) is unchanged\n")
        #expect(fileText(file) == "old matrix\n")
        #expect(Set(folderContents(dir).keys) == ["matrix.html"])
    }

    @Test("a full disk for real (a 64 KiB tmpfs, mounted as root): exit 1, the old file unchanged, no new or partial file")
    func fullDisk() throws {
        // Mounting needs root, as `make test` runs here and in CI; never skipped silently.
        try #require(getuid() == 0, "run the tests as root (make test installs its Debian packages as root too) to mount the tmpfs")
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mount = try RecordsCLI.exec(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.path])
        try #require(mount.code == 0, "cannot mount a tmpfs: \(mount.err)")
        defer { _ = try? RecordsCLI.exec(URL(fileURLWithPath: "/bin/umount"), [dir.path]) }
        let old = dir.appendingPathComponent("matrix.html").path
        let filler = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try filler.write(to: URL(fileURLWithPath: old))
        let replace = runAssay(["matrix", Self.rubric, "--format", "html", "--out", old, "--force"])  // about 23 KB: does not fit
        #expect(replace.code == 1)
        #expect(replace.err == "assay: cannot write \(old): the disk is full (No space left on device); nothing was written, \(old) is unchanged\n")
        #expect(FileManager.default.contents(atPath: old) == filler)
        let new = dir.appendingPathComponent("case.json").path
        let fresh = runAssay(["matrix", Self.rubric, "--format", "html", "--out", new])
        #expect(fresh.code == 1)
        #expect(fresh.err == "assay: cannot write \(new): the disk is full (No space left on device); nothing was written, no file was made\n")
        #expect(folderContents(dir) == ["matrix.html": filler])
        // Fill the disk to the last byte: even a key (a few hundred bytes) cannot be written, and none is made.
        let rest = FileHandle(forWritingAtPath: old)!
        rest.seekToEndOfFile()
        while (try? rest.write(contentsOf: Data(count: 4096))) != nil {}
        try? rest.close()
        let full = folderContents(dir)
        let key = dir.appendingPathComponent("registrar.pem").path
        let keygen = runAssay(["keygen", "--out", key])
        #expect(keygen.code == 1 && keygen.out == "")
        #expect(keygen.err == "assay: cannot write \(key): the disk is full (No space left on device); nothing was written, no file was made\n")
        #expect(folderContents(dir) == full)
    }
}
