import AssayModel
import Foundation

/// Renders an ``IntegrationMatrix`` as text (fits a 100-column terminal), CSV (one row per requirement, then
/// one per reverse gap) or one self-contained HTML page (a heat-map grid, gaps highlighted, printable).
/// The same matrix always gives the same bytes.
public enum MatrixWriter {
    /// The widest line the text form writes.
    public static let textWidth = 100

    // MARK: - Text

    /// Summary counts first, then the requirements post by post, then what is mapped to no requirement.
    public static func text(_ m: IntegrationMatrix) -> String {
        let s = m.summary
        var out = TextLayout.paragraph(
            "Integration matrix: \(m.programTitle) (program \(m.programID), version \(m.programVersion))",
            width: textWidth)
        out += "\nSummary\n"
        out += TextLayout.paragraph(
            "\(count(s.requirements, "requirement")) in \(count(s.posts, "post")): \(s.integrated) taught + tested + "
                + "attested, \(s.withGaps) with gaps", width: textWidth, first: "  ", rest: "    ")
        out += "  not taught \(s.notTaught) · not tested \(s.notTested) · not attested \(s.notAttested)\n"
        out += TextLayout.paragraph(
            "mapped to no requirement: \(count(s.coursesCoveringNothing, "course")), "
                + "\(count(s.aspectsTestingNothing, "competition aspect")), "
                + "\(count(s.certificatesAttestingNothing, "certificate")), "
                + "\(count(s.componentsAttestingNothing, "certificate component"))", width: textWidth, first: "  ",
            rest: "    ")
        let widths = [20, 16, 16, 20, 18]
        for post in m.posts {
            out += "\n" + TextLayout.paragraph("post \(post.id): \(post.title)", width: textWidth, rest: "  ")
            var rows = [["requirement", "taught by", "tested by", "attested by", "verdict"]]
            for r in m.rows where r.post == post.id {
                rows.append([
                    r.requirement, list(r.taughtBy), list(r.testedBy), list(r.attestedBy),
                    r.verdict.isIntegrated ? r.verdict.words : "GAP: " + r.verdict.words,
                ])
            }
            out += TextLayout.table(rows, widths: widths, indent: "  ", gap: 2)
        }
        out += "\nMapped to no requirement\n"
        if m.reverseGaps.isEmpty {
            out += "  nothing: every course, competition aspect and certificate component serves a requirement\n"
        }
        for g in m.reverseGaps { out += TextLayout.paragraph(g.words, width: textWidth, first: "  ", rest: "    ") }
        return out
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private static func list(_ items: [String]) -> String { items.isEmpty ? "—" : items.joined(separator: ", ") }

    // MARK: - CSV

    /// `kind,post,id,title,taught_by,tested_by,attested_by,verdict`: one `requirement` row per requirement
    /// (lists separated by `; `, verdict as in the text form), then one row per reverse gap with its kind
    /// (`course`, `competition-aspect`, `certificate`, `certificate-component`), its reference and what is wrong.
    public static func csv(_ m: IntegrationMatrix) -> String {
        var out = "kind,post,id,title,taught_by,tested_by,attested_by,verdict\n"
        for r in m.rows {
            out += [
                "requirement", r.post, r.requirement, r.title, r.taughtBy.joined(separator: "; "),
                r.testedBy.joined(separator: "; "), r.attestedBy.joined(separator: "; "), r.verdict.words,
            ].map(CSVText.field).joined(separator: ",") + "\n"
        }
        for g in m.reverseGaps {
            out += [g.kind.rawValue, "", g.reference, g.title ?? "", "", "", "", g.words].map(CSVText.field)
                .joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: - HTML

    /// One self-contained page: the summary, a grid with a row per requirement and a column per course,
    /// competition and certificate (a cell's shade grows with the number of nodes or components behind it;
    /// rows with gaps and the missing column groups are marked in red), then the reverse gaps. No scripts and
    /// no external files; prints on landscape pages with the colours kept.
    public static func html(_ m: IntegrationMatrix) -> String {
        let s = m.summary
        var h = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Integration matrix — \(esc(m.programTitle))</title>
            <style>
            body { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #1b1f24; margin: 24px; }
            h1 { font-size: 20px; margin: 0 0 4px; }
            h2 { font-size: 16px; margin: 24px 0 8px; }
            .meta { color: #57606a; margin: 0 0 16px; }
            .cards { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 8px; }
            .card { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
            .card b { display: block; font-size: 20px; }
            .card.bad { border-color: #cf222e; background: #ffebe9; }
            .card.good { border-color: #1a7f37; background: #dafbe1; }
            table { border-collapse: collapse; }
            th, td { border: 1px solid #d0d7de; padding: 3px 5px; vertical-align: top; }
            thead th { background: #f6f8fa; }
            th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 600; text-align: left; }
            th.group { text-align: center; }
            th.course, td.course { min-width: 18px; }
            th.post { background: #eaeef2; text-align: left; }
            td.req { max-width: 320px; }
            td.req small { color: #57606a; display: block; }
            td.cell { text-align: center; font-size: 11px; min-width: 18px; }
            td.t1 { background: #b6d4fe; } td.t2 { background: #6ea8fe; } td.t3 { background: #3d8bfd; color: #fff; }
            td.s1 { background: #ffe5b4; } td.s2 { background: #ffc46b; } td.s3 { background: #fd9a1c; }
            td.a1 { background: #c7ecd1; } td.a2 { background: #8fd6a2; } td.a3 { background: #46b36a; color: #fff; }
            td.miss { background: #ffebe9; }
            tr.gap td.req { border-left: 4px solid #cf222e; }
            td.verdict { white-space: nowrap; font-weight: 600; }
            td.verdict.ok { color: #1a7f37; }
            td.verdict.gap { color: #cf222e; }
            th.unmapped { background: #ffebe9; color: #cf222e; }
            ul.gaps li { margin: 2px 0; }
            .legend span { display: inline-block; padding: 1px 8px; margin-right: 8px; border: 1px solid #d0d7de; }
            @page { size: A4 landscape; margin: 10mm; }
            @media print {
              body { margin: 0; font-size: 10px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              thead { display: table-header-group; }
              tr { break-inside: avoid; page-break-inside: avoid; }
            }
            </style>
            </head>
            <body>
            <h1>Integration matrix: \(esc(m.programTitle))</h1>
            <p class="meta">Program \(esc(m.programID)), version \(esc(m.programVersion)). Which job requirements the courses teach, the competitions test and the certificates attest.</p>
            <div class="cards" id="summary">
            <div class="card"><b>\(s.requirements)</b>requirements in \(s.posts) posts</div>
            <div class="card \(s.withGaps == 0 ? "good" : "")"><b>\(s.integrated)</b>taught + tested + attested</div>
            <div class="card \(s.withGaps > 0 ? "bad" : "good")"><b>\(s.withGaps)</b>with gaps</div>
            <div class="card \(s.notTaught > 0 ? "bad" : "")"><b>\(s.notTaught)</b>not taught</div>
            <div class="card \(s.notTested > 0 ? "bad" : "")"><b>\(s.notTested)</b>not tested</div>
            <div class="card \(s.notAttested > 0 ? "bad" : "")"><b>\(s.notAttested)</b>not attested</div>
            <div class="card \(m.reverseGaps.isEmpty ? "" : "bad")"><b>\(m.reverseGaps.count)</b>mapped to no requirement</div>
            </div>
            <p class="legend"><span class="l-t" style="background:#6ea8fe">taught (course covers it)</span><span style="background:#ffc46b">tested (number of competition nodes)</span><span style="background:#8fd6a2">attested (certificate, components)</span><span style="background:#ffebe9">missing</span></p>

            """
        let unmappedCourses = Set(m.reverseGaps.filter { $0.kind == .course }.map(\.owner))
        let unmappedCertificates = Set(m.reverseGaps.filter { $0.kind == .certificate }.map(\.owner))
        let columns = 1 + m.courses.count + m.competitions.count + m.certificates.count + 1
        h += "<table id=\"matrix\">\n<thead>\n<tr><th rowspan=\"2\">Requirement</th>"
        if !m.courses.isEmpty { h += "<th class=\"group\" colspan=\"\(m.courses.count)\">Courses (taught)</th>" }
        if !m.competitions.isEmpty {
            h += "<th class=\"group\" colspan=\"\(m.competitions.count)\">Competitions (tested)</th>"
        }
        if !m.certificates.isEmpty {
            h += "<th class=\"group\" colspan=\"\(m.certificates.count)\">Certificates (attested)</th>"
        }
        h += "<th rowspan=\"2\">Verdict</th></tr>\n<tr>"
        for c in m.courses {
            let cls = unmappedCourses.contains(c.id) ? "col course unmapped" : "col course"
            h += "<th class=\"\(cls)\" title=\"\(esc(c.title))\">\(esc(c.id))</th>"
        }
        for c in m.competitions { h += "<th class=\"col\" title=\"\(esc(c.title))\">\(esc(c.id))</th>" }
        for c in m.certificates {
            let cls = unmappedCertificates.contains(c.id) ? "col unmapped" : "col"
            h += "<th class=\"\(cls)\" title=\"\(esc(c.title))\">\(esc(c.id))</th>"
        }
        h += "</tr>\n</thead>\n<tbody>\n"
        for post in m.posts {
            h += "<tr><th class=\"post\" colspan=\"\(columns)\">\(esc(post.id)) — \(esc(post.title))</th></tr>\n"
            for r in m.rows where r.post == post.id {
                let gap = !r.verdict.isIntegrated
                h += "<tr class=\"\(gap ? "gap" : "ok")\" id=\"req-\(esc(r.requirement))\">"
                h += "<td class=\"req\">\(esc(r.requirement))<small>\(esc(r.title))</small></td>"
                for c in m.courses {
                    if r.taughtBy.contains(c.id) {
                        h += "<td class=\"cell t2\" title=\"\(esc(c.id)) covers \(esc(r.requirement))\">●</td>"
                    } else {
                        h += "<td class=\"cell\(r.verdict.taught ? "" : " miss")\"></td>"
                    }
                }
                for c in m.competitions {
                    let nodes = r.testedBy.filter { $0.hasPrefix(c.id + "/") }.map { String($0.dropFirst(c.id.count + 1)) }
                    if nodes.isEmpty {
                        h += "<td class=\"cell\(r.verdict.tested ? "" : " miss")\"></td>"
                    } else {
                        h += "<td class=\"cell s\(min(nodes.count, 3))\" title=\"tested by \(esc(nodes.joined(separator: ", ")))\">"
                            + "\(esc(nodes.joined(separator: " ")))</td>"
                    }
                }
                for c in m.certificates {
                    let by = r.attestedBy.filter { $0 == c.id || $0.hasPrefix(c.id + "/") }
                    if by.isEmpty {
                        h += "<td class=\"cell\(r.verdict.attested ? "" : " miss")\"></td>"
                    } else {
                        let parts = by.map { $0 == c.id ? "✓" : String($0.dropFirst(c.id.count + 1)) }
                        h += "<td class=\"cell a\(min(by.count, 3))\" title=\"attested by \(esc(by.joined(separator: ", ")))\">"
                            + "\(esc(parts.joined(separator: " ")))</td>"
                    }
                }
                h += "<td class=\"verdict \(gap ? "gap" : "ok")\">\(esc(r.verdict.words))</td></tr>\n"
            }
        }
        h += "</tbody>\n</table>\n<h2>Mapped to no requirement</h2>\n"
        if m.reverseGaps.isEmpty {
            h += "<p id=\"reverse-gaps\">Nothing: every course, competition aspect and certificate component serves a requirement.</p>\n"
        } else {
            h += "<ul class=\"gaps\" id=\"reverse-gaps\">\n"
            for g in m.reverseGaps {
                h += "<li class=\"\(g.kind.rawValue)\">\(esc(g.words))</li>\n"
            }
            h += "</ul>\n"
        }
        h += "</body>\n</html>\n"
        return h
    }

    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
