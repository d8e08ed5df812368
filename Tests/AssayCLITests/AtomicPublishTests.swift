import Foundation
import Testing

@testable import AssayCLI

#if canImport(Glibc)
    import Glibc
#endif

/// How a finished temporary file takes a new file's name: `renameat2(RENAME_NOREPLACE)`, else `link` + `unlink`
/// (file systems without renameat2), else a clear refusal; never over a file that appeared meanwhile; and a
/// temporary name that fits whatever the target's length. strace (Debian package strace, installed by `make
/// deps`) shows the system calls of the real binary and makes the kernel's answers those of such file systems.
@Suite("A new file's name: renameat2 without replace, the link fallback, a race, 255-byte names", .serialized)
struct AtomicPublishTests {
    static let strace = "/usr/bin/strace"

    /// Runs the real binary under strace, tracing renameat2, rename and link; `inject`: strace's fault injections.
    static func traced(_ args: [String], inject: [String] = [], log: String) throws -> (code: Int32, out: String, err: String, calls: [String]) {
        try #require(FileManager.default.isExecutableFile(atPath: strace), "strace is missing: run 'make deps' (Debian package strace)")
        let r = try RecordsCLI.exec(
            URL(fileURLWithPath: strace),
            ["-f", "-qq", "-o", log, "-e", "trace=renameat2,rename,link,linkat"] + inject.flatMap { ["-e", "inject=\($0)"] }
                + [try RecordsCLI.binary().path] + args)
        let calls = RecordsCLI.lines(fileText(log) ?? "").map { line in
            // "1234 renameat2(…) = 0" (strace pads a short process id with spaces): drop the process id.
            String(line.drop { $0 != " " }.drop { $0 == " " })
        }
        return (r.code, r.out, r.err, calls)
    }

    @Test("a new file on an ordinary file system takes its name with renameat2(RENAME_NOREPLACE): no link, no temporary left")
    func renameat2() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("registrar.pem").path
        let r = try Self.traced(["keygen", "--out", key], log: dir.appendingPathComponent("..strace").path)
        #expect(r.code == 0)
        #expect(r.calls.count == 1)
        let call = try #require(r.calls.first)
        #expect(call.hasPrefix("renameat2(AT_FDCWD, \"\(dir.path)/.assay-tmp-"))
        #expect(call.hasSuffix("\", AT_FDCWD, \"\(key)\", RENAME_NOREPLACE) = 0"))
        #expect(Set(folderContents(dir).keys) == ["registrar.pem", "..strace"])
        #expect(fileText(key)?.hasPrefix("-----BEGIN PRIVATE KEY-----\n") == true)
    }

    @Test("renameat2 not supported (EINVAL, ENOSYS: some network and FUSE mounts): link then unlink; the report whole, no temporary left", arguments: ["EINVAL", "ENOSYS"])
    func linkFallback(_ error: String) throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("matrix.csv").path
        let expected = runAssay(["matrix", OutFileTests.rubric, "--format", "csv"])
        let r = try Self.traced(
            ["matrix", OutFileTests.rubric, "--format", "csv", "--out", out], inject: ["renameat2:error=\(error)"],
            log: dir.appendingPathComponent("..strace").path)
        #expect(r.code == 0 && r.err == "" && r.out == "")
        #expect(r.calls.count == 2)
        #expect(r.calls.first?.hasSuffix("\", AT_FDCWD, \"\(out)\", RENAME_NOREPLACE) = -1 \(error) (\(String(cString: strerror(error == "EINVAL" ? EINVAL : ENOSYS)))) (INJECTED)") == true)
        #expect(r.calls.last?.hasPrefix("link(\"\(dir.path)/.assay-tmp-") == true)
        #expect(r.calls.last?.hasSuffix("\", \"\(out)\") = 0") == true)
        #expect(fileText(out) == expected.out)
        #expect(Set(folderContents(dir).keys) == ["matrix.csv", "..strace"])
    }

    @Test("neither renameat2 nor hard links (ENOSYS, then EPERM as vfat gives): exit 1, what to do, nothing made; --force still writes")
    func neither() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("registrar.pem").path
        let log = dir.appendingPathComponent("..strace").path
        let r = try Self.traced(["keygen", "--out", key], inject: ["renameat2:error=ENOSYS", "link:error=EPERM"], log: log)
        #expect(r.code == 1 && r.out == "")
        #expect(
            r.err
                == "assay: cannot write \(key): this file system can neither create a file without the risk of replacing one made meanwhile (no renameat2 with RENAME_NOREPLACE) nor make hard links (Operation not permitted); nothing was written, no file was made — write to a folder on another disk and copy the file, or give --force to write it here anyway\n"
        )
        #expect(Set(folderContents(dir).keys) == ["..strace"])
        let forced = try Self.traced(["keygen", "--out", key, "--force"], inject: ["renameat2:error=ENOSYS", "link:error=EPERM"], log: log)
        #expect(forced.code == 0)
        #expect(forced.calls.count == 1 && forced.calls.first?.hasPrefix("rename(\"\(dir.path)/.assay-tmp-") == true)
        #expect(Set(folderContents(dir).keys) == ["registrar.pem", "..strace"])
    }

    @Test("a file made at the target between the check and the rename is refused and kept; the temporary file is removed")
    func race() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("report.csv").path
        var temporaries: [String] = []
        #expect(throws: AtomicFile.Failure(message: "\(path) already exists; not overwritten (give --force to replace it)")) {
            try AtomicFile.write(Array("ours\n".utf8), to: path, replace: false) {
                temporaries = folderContents(dir).keys.sorted()
                _ = FileManager.default.createFile(atPath: path, contents: Data("theirs\n".utf8))
            }
        }
        // The documented temporary name: ".assay-tmp-" and six characters, whatever the target is called.
        #expect(temporaries.count == 1)
        #expect(temporaries.first?.hasPrefix(AtomicFile.temporaryPrefix) == true && temporaries.first?.count == 17)
        #expect(folderContents(dir) == ["report.csv": Data("theirs\n".utf8)])
    }

    @Test("a 255-byte file name (the longest a file system takes) is written, as touch would make it; a report and a key")
    func longestName() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = String(repeating: "m", count: 251) + ".csv"
        #expect(name.utf8.count == 255)
        let out = dir.appendingPathComponent(name).path
        let expected = runAssay(["matrix", OutFileTests.rubric, "--format", "csv"])
        let r = runAssay(["matrix", OutFileTests.rubric, "--format", "csv", "--out", out])
        #expect(r.code == 0 && r.err == "")
        #expect(fileText(out) == expected.out)
        let again = runAssay(["matrix", OutFileTests.rubric, "--format", "csv", "--out", out, "--force"])
        #expect(again.code == 0 && again.err == "")
        let keyName = String(repeating: "k", count: 251) + ".pem"
        let key = runAssay(["keygen", "--out", dir.appendingPathComponent(keyName).path])
        #expect(key.code == 0)
        #expect(Set(folderContents(dir).keys) == [name, keyName])
    }
}
