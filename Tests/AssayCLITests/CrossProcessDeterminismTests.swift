import Foundation
import Testing

/// DESIGN.md: "same inputs, byte-identical output". Two runs inside one test process share Swift's per-process
/// hash seed, so a Dictionary's order would repeat there and still differ in the next process. These tests
/// start the built `assay` twice as separate child processes (each gets its own random hash seed: the
/// environment never sets SWIFT_DETERMINISTIC_HASHING) — the second one also in another time zone and
/// locale — and compare every byte of standard output, standard error and the exit code.
@Suite("Byte-identical output across processes", .serialized)
struct CrossProcessDeterminismTests {
    static let rubric = "rubrics/medical-imaging-technology.xml"
    static let cohort = "examples/evidence/cohort-2025.xml"
    static let marks = "examples/competition/nmit-2025-marks.csv"

    /// Runs `assay ARGS` as its own process, first plainly, then with another time zone and locale.
    func twice(_ args: [String]) throws -> [(code: Int32, out: String, err: String)] {
        let assay = try RecordsCLI.binary()
        // A fixed hash seed in the environment would make this test prove nothing.
        try #require(ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] == nil)
        let first = try RecordsCLI.exec(assay, args, environment: [:])
        let second = try RecordsCLI.exec(
            assay, args, environment: ["TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"])
        return [first, second]
    }

    static let commands: [[String]] = [
        ["validate", "rubrics/medical-imaging-technology.xml", "examples/rubric-with-mistakes.xml"],
        ["score", rubric, cohort, "--format", "json"],
        ["score", rubric, cohort, "--format", "csv"],
        ["score", rubric, cohort],
        ["score", rubric, cohort, "--explain", "S2025006", "--target", "MIT-103"],
        ["results", rubric, "nmit-2025", marks],
        ["results", rubric, "nmit-2025", marks, "--format", "csv"],
        ["results", rubric, "nmit-2025", marks, "--format", "html"],
        ["recognize", rubric, cohort, "--dry-run", "--as-of", "2025-09-01", "--format", "json"],
        ["recognize", rubric, cohort, "--dry-run", "--as-of", "2025-09-01", "--format", "csv"],
        ["recognize", rubric, cohort, "--dry-run", "--as-of", "2025-09-01"],
        ["matrix", rubric],
        ["matrix", rubric, "--format", "csv"],
        ["matrix", rubric, "--format", "html"],
        [
            "diff", rubric, "examples/design/medical-imaging-technology-2026-draft.xml", cohort, marks,
            "--as-of", "2026-01-15",
        ],
    ]

    @Test("every command's output, messages and exit code are the same bytes in two processes", arguments: commands)
    func sameBytes(_ args: [String]) throws {
        let runs = try twice(args)
        #expect(runs[0].code == runs[1].code, "\(args)")
        #expect(runs[0].out == runs[1].out, "\(args)")
        #expect(runs[0].err == runs[1].err, "\(args)")
        // Each of these writes a real result (not only an error), so equal bytes mean something.
        #expect(runs[0].out.utf8.count > 200, "\(args)")
        #expect([0, 1].contains(runs[0].code), "\(args)")
    }

    @Test("export-case writes the same file in two processes")
    func exportCase() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let assay = try RecordsCLI.binary()
        var files: [Data] = []
        for (name, zone) in [("a.json", "UTC"), ("b.json", "America/Los_Angeles")] {
            let path = dir.appendingPathComponent(name).path
            let r = try RecordsCLI.exec(assay, ["export-case", Self.rubric, "--out", path], environment: ["TZ": zone])
            #expect(r.code == 0)
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(files[0] == files[1])
        #expect(files[0].count > 1000)
    }
}
