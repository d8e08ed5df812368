import AssayCLI
import Foundation
import Testing

/// `assay validate` as a designer and a CI job use it: output form, summary, JSON and exit codes.
@Suite("assay validate", .serialized)
struct ValidateCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs in the repository root so that paths print as a designer types them.
    @Test("the example with mistakes prints every problem as path:line:col, a hint, a summary, and exits 1")
    func mistakes() {
        let r = runAssay(["validate", "examples/rubric-with-mistakes.xml"])
        #expect(r.code == 1)
        #expect(
            r.out == """
                examples/rubric-with-mistakes.xml:14:13: error: no post has a requirement 'ct-dosage' [unknown-requirement]
                    hint: did you mean 'ct-dose'?
                examples/rubric-with-mistakes.xml:15:22: error: the weights under node 'total' add up to 90, not 100 (exam 60 + practical 30) [weights-sum]
                    hint: the weights are 10 short of 100; adjust them so that they total 100
                examples/rubric-with-mistakes.xml:25:16: error: judgement-panel does not take a parameter 'max-spred' (node 'B1.1') [unknown-parameter]
                    hint: did you mean 'max-spread'?
                examples/rubric-with-mistakes.xml:27:42: error: node 'B1.2' names the scorer 'tolerence', which Assay does not have [unknown-scorer]
                    hint: did you mean 'tolerance'?
                examples/rubric-with-mistakes.xml:33:20: error: the tie-break names node 'B1', which competition 'nmit-2026' does not have [unknown-node]
                    hint: name a node of this competition's scoring tree
                examples/rubric-with-mistakes.xml:42:14: error: the grade map names award 'third', which no competition in rule 'prize-counts' gives [unknown-award]
                    hint: map awards of the competition the rule's <award> condition names
                checked 1 rubric: 6 errors, 0 warnings (1 of 1 with errors)

                """)
        #expect(r.err == "")
    }

    @Test("the bundled rubrics validate: exit 0 and a one-line summary")
    func bundled() {
        let r = runAssay([
            "validate", "rubrics/medical-imaging-technology.xml", "rubrics/medical-engineering.xml",
            "rubrics/conformance/fina-diving.xml",
        ])
        #expect(r.code == 0)
        #expect(r.out == "checked 3 rubrics: 0 errors, 0 warnings\n")
    }

    @Test("--format json carries the same diagnostics with file, line, column, code and hint")
    func json() throws {
        let r = runAssay(["validate", "--format", "json", "examples/rubric-with-mistakes.xml"])
        #expect(r.code == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 6)
        #expect(object["warnings"] as? Int == 0)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 6)
        let first = diagnostics[0]
        #expect(first["file"] as? String == "examples/rubric-with-mistakes.xml")
        #expect(first["line"] as? Int == 14)
        #expect(first["column"] as? Int == 13)
        #expect(first["severity"] as? String == "error")
        #expect(first["code"] as? String == "unknown-requirement")
        #expect(first["message"] as? String == "no post has a requirement 'ct-dosage'")
        #expect(first["hint"] as? String == "did you mean 'ct-dose'?")
        // Deterministic: the same input gives byte-identical output.
        #expect(runAssay(["validate", "--format", "json", "examples/rubric-with-mistakes.xml"]).out == r.out)
    }

    @Test("usage mistakes exit 2 with a message on standard error")
    func usage() {
        let noFiles = runAssay(["validate"])
        #expect(noFiles.code == 2)
        #expect(noFiles.err == "assay: validate needs at least one rubric file\nRun 'assay --help' for usage.\n")
        let badFormat = runAssay(["validate", "--format", "yaml", "x.xml"])
        #expect(badFormat.code == 2)
        #expect(badFormat.err == "assay: --format must be one of text, json, not 'yaml'\nRun 'assay --help' for usage.\n")
        let unknown = runAssay(["frobnicate"])
        #expect(unknown.code == 2)
        #expect(unknown.err == "assay: unknown command 'frobnicate'\nRun 'assay --help' for usage.\n")
        #expect(runAssay([]).code == 2)
    }

    @Test("a file that does not exist is an input failure (exit 1) that names the file")
    func missingFile() {
        let r = runAssay(["validate", "rubrics/nope.xml"])
        #expect(r.code == 1)
        #expect(r.out.hasPrefix("rubrics/nope.xml: error: a rubric 'rubrics/nope.xml' does not exist [file-unreadable]\n"))
    }

    @Test("help explains the command in the designer's words")
    func help() {
        let top = runAssay(["--help"])
        #expect(top.code == 0)
        #expect(top.out.contains("USAGE: assay <command> [options]"))
        #expect(top.out.contains("validate"))
        let validate = runAssay(["validate", "--help"])
        #expect(validate.code == 0)
        #expect(validate.out.hasPrefix("USAGE: assay validate [--format text|json] [--plugins DIR] [--quiet] RUBRIC..."))
    }
}

/// The real executable, as CI and editors run it.
@Suite("assay executable")
struct ExecutableTests {
    @Test("the built assay binary validates a rubric and exits with the documented codes")
    func binary() throws {
        let testBundle = Bundle.main.bundleURL
        let binary = testBundle.deletingLastPathComponent().appendingPathComponent("assay")
        let candidates = [binary, testBundle.appendingPathComponent("assay")]
        let url = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
        func exec(_ args: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = url
            p.arguments = args
            p.currentDirectoryURL = ValidateCommandTests.root
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let ok = try exec(["validate", "rubrics/medical-imaging-technology.xml"])
        #expect(ok.0 == 0)
        #expect(ok.1 == "checked 1 rubric: 0 errors, 0 warnings\n")
        let bad = try exec(["validate", "--quiet", "examples/rubric-with-mistakes.xml"])
        #expect(bad.0 == 1)
        #expect(bad.1.split(separator: "\n").filter { $0.contains(": error: ") }.count == 6)
        #expect(try exec(["validate"]).0 == 2)
    }

    @Test("started with standard input and standard error closed, assay still runs its plugins right")
    func closedStandardDescriptors() throws {
        // As under cron or a service manager. The pipe to a plugin then gets descriptors 0 and 2 (strace shows
        // pipe2([0, 2])); assay moves every pipe end above 2. (This run also passes without that move on this
        // machine's glibc 2.36, whose posix_spawn keeps a same-number dup2 open across exec: it checks that
        // the plugins work with closed standard descriptors, not the move itself.)
        let testBundle = Bundle.main.bundleURL
        let candidates = [testBundle.deletingLastPathComponent().appendingPathComponent("assay"), testBundle.appendingPathComponent("assay")]
        let url = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [
            "-c", "exec 0<&- 2>&-; exec \"$0\" score examples/plugins/nmit-2025-stations.xml examples/evidence/nmit-2025-stations.xml --format csv",
            url.path,
        ]
        p.currentDirectoryURL = ValidateCommandTests.root
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)  // E05 and E06 are incomplete by design
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(Array(lines.prefix(5)) == [
            "candidate,target,score,max,status,detail",
            "E01,nmit-2025-stations,20.00,20,complete,", "E02,nmit-2025-stations,17.23,20,complete,",
            "E03,nmit-2025-stations,7.93,20,complete,", "E04,nmit-2025-stations,18.00,20,complete,",
        ])
        #expect(lines.last == "E06,nmit-2025-stations,,20,incomplete,\"S1: plugin exposure-check: the exposure record has no 'mas'; it has: kvp, sid\"")
    }
}
