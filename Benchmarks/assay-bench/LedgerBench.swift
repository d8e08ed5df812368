// Workload 5: signed records (issue 6). Issue and store 100,000 records — each an Open Badges 3.0 credential
// signed as an EdDSA VC-JWT, in the SQLite ledger's hash chain — with `assay recognize --key --ledger`, and
// verify them all with `assay verify --ledger` (every signature, schema rules, stored vs signed credential,
// the chain, statuses). The evidence gives each of N candidates the certificate that exempts one course: N
// grants. The same `recognize --dry-run` (read, score, decide, print; no signing, no ledger) runs interleaved,
// so that issuing's own cost is the difference.
import Foundation

func benchLedger(options: Options) throws {
    let n = 100_000
    let dir = options.workDirectory + "/ledger"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let evidence = dir + "/cohort-\(n).xml"
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"mit-bsc\">\n"
    xml.reserveCapacity(n * 130)
    for i in 0..<n {
        let id = "C" + String(100_000 + i).dropFirst()
        xml += "  <candidate id=\"\(id)\"><certificate ref=\"rad-tech\" level=\"junior\" issued=\"2025-08-28\" serial=\"RT-\(id)\"/></candidate>\n"
    }
    xml += "</evidence>\n"
    try xml.write(toFile: evidence, atomically: true, encoding: .utf8)
    let key = dir + "/issuer.pem"
    try? FileManager.default.removeItem(atPath: key)
    guard measure([options.assay, "keygen", "--out", key]).status == 0 else {
        FileHandle.standardError.write(Data("assay-bench: assay keygen failed\n".utf8))
        exit(3)
    }
    let rubric = "rubrics/medical-imaging-technology.xml"
    let ledger = dir + "/records.db"
    let decide = [options.assay, "recognize", rubric, evidence, "--as-of", "2026-07-01", "--format", "csv"]
    var dry: [Double] = []
    var issue: [Double] = []
    var verify: [Double] = []
    var issueRSS = 0
    var verifyRSS = 0
    var bytes = 0
    for _ in 0..<options.runs {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: ledger + suffix) }
        dry.append(measure(decide + ["--dry-run"]).seconds)
        let i = measure(decide + ["--key", key, "--ledger", ledger])
        guard i.status == 0 else {
            FileHandle.standardError.write(Data("assay-bench: assay recognize exited \(i.status)\n".utf8))
            exit(3)
        }
        issue.append(i.seconds)
        issueRSS = max(issueRSS, i.maxRSSKilobytes)
        let v = measure([options.assay, "verify", "--ledger", ledger])
        guard v.status == 0 else {
            FileHandle.standardError.write(Data("assay-bench: assay verify exited \(v.status)\n".utf8))
            exit(3)
        }
        verify.append(v.seconds)
        verifyRSS = max(verifyRSS, v.maxRSSKilobytes)
        bytes = (try? FileManager.default.attributesOfItem(atPath: ledger)[.size] as? Int) ?? 0
    }
    let signing = median(issue) - median(dry)
    print(
        """
        ## Signed records — issue 6: issue and store 100,000 records; verify them all

        \(n) candidates, one grant each (EdDSA VC-JWT, ledger \(String(format: "%.1f", Double(bytes) / 1e6)) MB); \(options.runs) runs each, interleaved.

        | what | median (s) | min (s) | max (s) | peak RSS (MB) |
        |---|---:|---:|---:|---:|
        | `assay recognize --dry-run` (read, score, decide) | \(f3(median(dry))) | \(f3(dry.min()!)) | \(f3(dry.max()!)) | — |
        | `assay recognize --key --ledger` (the same + sign and store \(n)) | \(f3(median(issue))) | \(f3(issue.min()!)) | \(f3(issue.max()!)) | \(mb(issueRSS)) |
        | `assay verify --ledger` (all \(n): signatures, schema rules, chain, status) | \(f3(median(verify))) | \(f3(verify.min()!)) | \(f3(verify.max()!)) | \(mb(verifyRSS)) |

        Issuing: \(String(format: "%.0f", Double(n) / median(issue))) records/s end to end; \(String(format: "%.0f", Double(n) / max(signing, 0.001))) records/s for signing and storing alone (median difference to the dry run, \(f3(signing)) s). Verifying: \(String(format: "%.0f", Double(n) / median(verify))) records/s.

        """)
}
