// Workload 6: a 100 MB CSV mark sheet (issue 13). `assay score --format csv` on about 100 MB of CSV evidence
// for the scoring workload's competition (the same rows as its XML: 9 judges' marks and one measurement a
// candidate), three ways: sorted by candidate (the usual export, read straight through), sorted by judge
// (read by the index of runs: 4 runs a candidate), and the sorted sheet in GB18030 (converted once to a
// temporary file). Median wall time and the child's peak RSS (ru_maxrss), as the score workload measures.
import Foundation

/// Writes the CSV evidence for `n` candidates; `byJudge` puts all grades first, then judge J1's marks, J2's,
/// J3's; `judgeOneInGB18030` names judge J1 李 in GB18030 bytes (C0 EE), so that the file is not UTF-8.
/// Written a megabyte at a time: this process never holds the file (a child's ru_maxrss starts from the
/// memory of the process that spawned it).  Returns the file's size in bytes.
func generateCSVEvidence(candidates n: Int, byJudge: Bool, judgeOneInGB18030: Bool = false, to path: String) throws -> Int {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var total = 0
    var buffer = "candidate,target,node,judge,value\n"
    func flush(_ force: Bool = false) {
        if force || buffer.utf8.count > 1 << 20 {
            var bytes = Array(buffer.utf8)
            if judgeOneInGB18030 {
                // ",J1," → ",李,": rows end at a flush, so the pattern never spans two.
                var out: [UInt8] = []
                out.reserveCapacity(bytes.count)
                var k = 0
                while k < bytes.count {
                    if bytes[k] == 0x2C, k + 3 < bytes.count, bytes[k + 1] == 0x4A, bytes[k + 2] == 0x31, bytes[k + 3] == 0x2C {
                        out += [0x2C, 0xC0, 0xEE]
                        k += 3
                    } else {
                        out.append(bytes[k])
                        k += 1
                    }
                }
                bytes = out
            }
            total += bytes.count
            handle.write(Data(bytes))
            buffer = ""
        }
    }
    // The same marks whatever the order: each candidate's are drawn from its own seed.
    func marks(_ i: Int) -> (judged: [[Int]], measure: String) {
        var seed = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ 42
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33)
        }
        var judged: [[Int]] = []
        for _ in 1...3 {
            let base = next() % 4
            judged.append((1...3).map { _ in
                let r = next() % 12
                return max(0, min(3, base + (r == 0 ? -1 : r == 1 ? 1 : 0)))
            })
        }
        return (judged, "\(115 + next() % 11).\(next() % 10)")
    }
    func id(_ i: Int) -> String { "S2025" + String(1_000_000 + i).dropFirst() }
    if byJudge {
        for i in 0..<n {
            buffer += "\(id(i)),nmit-2025,B2.1,,\(marks(i).measure)\n"
            flush()
        }
        for judge in 1...3 {
            for i in 0..<n {
                let m = marks(i)
                for aspect in 1...3 { buffer += "\(id(i)),nmit-2025,B1.\(aspect),J\(judge),\(m.judged[aspect - 1][judge - 1])\n" }
                flush()
            }
        }
    } else {
        for i in 0..<n {
            let m = marks(i)
            for aspect in 1...3 {
                for judge in 1...3 { buffer += "\(id(i)),nmit-2025,B1.\(aspect),J\(judge),\(m.judged[aspect - 1][judge - 1])\n" }
            }
            buffer += "\(id(i)),nmit-2025,B2.1,,\(m.measure)\n"
            flush()
        }
    }
    flush(true)
    return total
}

func benchCSV(options: Options) throws {
    let rubricPath = options.workDirectory + "/bench-score.xml"
    try Data(scoringRubric.utf8).write(to: URL(fileURLWithPath: rubricPath))
    // About 300 bytes a candidate: 333,000 candidates make 100 MB.
    let n = 333_000
    let sorted = options.workDirectory + "/csv-evidence-\(n).csv"
    let byJudge = options.workDirectory + "/csv-evidence-\(n)-by-judge.csv"
    let gbk = options.workDirectory + "/csv-evidence-\(n)-gb18030.csv"
    let bytes = try generateCSVEvidence(candidates: n, byJudge: false, to: sorted)
    _ = try generateCSVEvidence(candidates: n, byJudge: true, to: byJudge)
    _ = try generateCSVEvidence(candidates: n, byJudge: false, judgeOneInGB18030: true, to: gbk)
    print("""
        ## CSV evidence (`assay score --format csv` on \(String(format: "%.1f", Double(bytes) / 1e6)) MB of CSV, \(n) candidates × 10 rows; \(options.runs) runs each)

        | sheet | median (s) | min (s) | max (s) | peak RSS (MB) |
        |---|---:|---:|---:|---:|
        """)
    for (label, path) in [("sorted by candidate", sorted), ("sorted by judge (index of runs)", byJudge), ("GB18030, sorted by candidate", gbk)] {
        let check = measure([options.assay, "score", rubricPath, path, "--format", "csv"])
        guard check.status == 0 else {
            FileHandle.standardError.write(Data("assay-bench: scoring the generated CSV (\(label)) failed (exit \(check.status))\n".utf8))
            exit(3)
        }
        var times: [Double] = []
        var rss = 0
        for _ in 0..<options.runs {
            let r = measure([options.assay, "score", rubricPath, path, "--format", "csv"])
            times.append(r.seconds)
            rss = max(rss, r.maxRSSKilobytes)
        }
        print("| \(label) | \(f3(median(times))) | \(f3(times.min()!)) | \(f3(times.max()!)) | \(mb(rss)) |")
    }
    print("\nGoal: peak RSS ≤ 64 MB (before issue 13 the sorted sheet peaked at 2.15 GB).\n")
}
