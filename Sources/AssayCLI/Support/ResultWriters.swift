import AssayModel
import AssayResults
import Foundation

/// The result sheet in each of `assay results`'s formats. Same sheet, same bytes.
enum ResultWriters {
    static func pct(_ x: Double?) -> String { x.map { String(format: "%.1f %%", $0 * 100) } ?? "—" }
    static func f2(_ x: Double) -> String { String(format: "%.2f", x) }
    static func signed(_ x: Double, _ digits: Int) -> String {
        let s = String(format: "%+.\(digits)f", x)
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }

    static func iccText(_ icc: ICC) -> String {
        "ICC(2,1) \(f2(icc.icc21)), ICC(3,1) \(f2(icc.icc31)), ICC(2,\(icc.judges)) \(f2(icc.icc2k)), ICC(3,\(icc.judges)) \(f2(icc.icc3k))"
    }

    static func offsetText(_ o: JudgeReport.JudgeOffset) -> String {
        var s = "\(signed(o.meanOffsetPercent, 1)) % of the mark range"
        if let p = o.meanOffsetPoints { s += " (\(signed(p, 2)) points)" }
        return s + " over \(o.marks) mark\(o.marks == 1 ? "" : "s")"
    }

    // MARK: - Text

    static func text(_ sheet: ResultSheet) -> String {
        var s = "\(sheet.competitionTitle) (\(sheet.competition)) — program \(sheet.program) \(sheet.programVersion)\n"
        for (i, input) in sheet.inputs.enumerated() {
            s += "\(i == 0 ? "rubric  " : "evidence") \(input.path)  sha256 \(input.sha256)\n"
        }
        s += "\nSTANDINGS\n"
        let hasStd = sheet.standings.contains { $0.standardised != nil }
        var rows = [["rank", "candidate", "total"] + (hasStd ? ["standardised"] : []) + ["award", "note"]]
        for st in sheet.standings {
            var note = st.tieNote ?? ""
            if !st.flags.isEmpty { note += (note.isEmpty ? "" : "; ") + st.flags.joined(separator: "; ") }
            rows.append(
                [String(st.rank), st.candidate, st.shownTotal] + (hasStd ? [st.standardised?.text(decimals: 2) ?? ""] : [])
                    + [st.award ?? "", note])
        }
        s += TextTable(rightAligned: hasStd ? [0, 2, 3] : [0, 2]).render(rows)
        if !sheet.unranked.isEmpty {
            s += "\nNOT RANKED — no complete result (\(sheet.unranked.count))\n"
            for u in sheet.unranked { s += "  \(u.candidate): \(u.reasons.joined(separator: "; "))\n" }
        }
        if !sheet.awardCounts.isEmpty {
            s += "\nAWARDS\n"
            for a in sheet.awardCounts { s += "  \(a.title) (\(a.award)): \(a.count)\n" }
            for n in sheet.awardNotes { s += "  · \(n)\n" }
        }
        if let note = sheet.standardisationNote { s += "\nSTANDARDISATION\n  \(note)\n" }
        s += judgesText(sheet.judges)
        return s
    }

    static func judgesText(_ j: JudgeReport) -> String {
        var s = "\nJUDGES\n"
        if j.aspects.isEmpty { return s + "  no judged aspects\n" }
        s += "  Marks to look at again (further apart than the aspect's max-spread), widest first: \(j.spreadFlags.count)\n"
        for f in j.spreadFlags {
            s += "    \(f.aspect) \(f.candidate): \(f.marks.joined(separator: ", ")) — spread \(JudgeReportText.number(f.spread)) > \(JudgeReportText.number(f.maxSpread))\n"
        }
        s += "  Each judge's mean offset from the rest of the panel (negative: severe; positive: lenient), largest first:\n"
        for o in j.offsets { s += "    \(o.judge)  \(offsetText(o))\n" }
        s += "  Agreement between pairs of judges on the same entrant: exact \(pct(j.exactAgreement)), within one mark step \(pct(j.adjacentAgreement))\n"
        s += "  Aspects, most spread flags and lowest reliability first:\n"
        for a in j.aspects {
            s += "    \(a.aspect): \(a.entrants) entrants, judges \(a.judges.joined(separator: " ")), exact \(pct(a.exactAgreement)), within one mark step \(pct(a.adjacentAgreement)), \(a.spreadFlags) spread flag\(a.spreadFlags == 1 ? "" : "s"); "
            s += [a.icc.map(iccText), a.iccNote].compactMap { $0 }.joined(separator: "; ")
            s += "\n"
        }
        return s
    }

    // MARK: - CSV

    static func csv(_ sheet: ResultSheet) -> String {
        var s = "rank,candidate,total,standardised,award,status\n"
        for st in sheet.standings {
            s += "\(st.rank),\(CSVText.field(st.candidate)),\(st.shownTotal),\(st.standardised?.text(decimals: 2) ?? ""),\(st.award ?? ""),complete\n"
        }
        for u in sheet.unranked {
            s += ",\(CSVText.field(u.candidate)),,,,\(CSVText.field("incomplete: " + u.reasons.joined(separator: "; ")))\n"
        }
        return s
    }

    // MARK: - JSON

    static func json(_ sheet: ResultSheet) -> String {
        func num(_ x: Double?) -> String { x.map { String(format: "%.6f", $0) } ?? "null" }
        var s = "{\n  \"program\": \(AssayCLI.json(sheet.program)), \"version\": \(AssayCLI.json(sheet.programVersion)),\n"
        s += "  \"competition\": \(AssayCLI.json(sheet.competition)), \"title\": \(AssayCLI.json(sheet.competitionTitle)),\n"
        s += "  \"inputs\": [" + sheet.inputs.map { "{\"path\": \(AssayCLI.json($0.path)), \"sha256\": \(AssayCLI.json($0.sha256))}" }.joined(separator: ", ") + "],\n"
        s += "  \"standings\": ["
        s += sheet.standings.map { st in
            "\n    {\"rank\": \(st.rank), \"candidate\": \(AssayCLI.json(st.candidate)), \"total\": \(st.shownTotal), \"standardised\": \(st.standardised.map { $0.text(decimals: 2) } ?? "null"), \"award\": \(st.award.map(AssayCLI.json) ?? "null"), \"tieBreak\": [\(st.tieBreak.map { $0?.text() ?? "null" }.joined(separator: ", "))], \"note\": \(st.tieNote.map(AssayCLI.json) ?? "null"), \"flags\": \(jsonArray(st.flags))}"
        }.joined(separator: ",")
        s += "\n  ],\n  \"unranked\": ["
        s += sheet.unranked.map { "\n    {\"candidate\": \(AssayCLI.json($0.candidate)), \"reasons\": \(jsonArray($0.reasons))}" }.joined(separator: ",")
        s += "\n  ],\n  \"awards\": [" + sheet.awardCounts.map { "{\"award\": \(AssayCLI.json($0.award)), \"title\": \(AssayCLI.json($0.title)), \"count\": \($0.count)}" }.joined(separator: ", ")
        s += "],\n  \"awardNotes\": \(jsonArray(sheet.awardNotes)),\n"
        s += "  \"standardisation\": \(sheet.standardisationNote.map(AssayCLI.json) ?? "null"),\n"
        let j = sheet.judges
        s += "  \"judges\": {\n    \"exactAgreement\": \(num(j.exactAgreement)), \"adjacentAgreement\": \(num(j.adjacentAgreement)),\n"
        s += "    \"spreadFlags\": [" + j.spreadFlags.map { "{\"aspect\": \(AssayCLI.json($0.aspect)), \"candidate\": \(AssayCLI.json($0.candidate)), \"spread\": \(num($0.spread)), \"maxSpread\": \(num($0.maxSpread)), \"marks\": \(jsonArray($0.marks))}" }.joined(separator: ", ") + "],\n"
        s += "    \"offsets\": [" + j.offsets.map { "{\"judge\": \(AssayCLI.json($0.judge)), \"meanOffsetPercent\": \(num($0.meanOffsetPercent)), \"meanOffsetPoints\": \(num($0.meanOffsetPoints)), \"marks\": \($0.marks)}" }.joined(separator: ", ") + "],\n"
        s += "    \"aspects\": [" + j.aspects.map { a in
            let icc = a.icc.map { "{\"targets\": \($0.targets), \"judges\": \($0.judges), \"icc21\": \(num($0.icc21)), \"icc31\": \(num($0.icc31)), \"icc2k\": \(num($0.icc2k)), \"icc3k\": \(num($0.icc3k))}" } ?? "null"
            return "{\"aspect\": \(AssayCLI.json(a.aspect)), \"entrants\": \(a.entrants), \"judges\": \(jsonArray(a.judges)), \"exactAgreement\": \(num(a.exactAgreement)), \"adjacentAgreement\": \(num(a.adjacentAgreement)), \"spreadFlags\": \(a.spreadFlags), \"icc\": \(icc), \"iccNote\": \(a.iccNote.map(AssayCLI.json) ?? "null")}"
        }.joined(separator: ", ") + "]\n  }\n}\n"
        return s
    }

    // MARK: - XML

    static func xml(_ sheet: ResultSheet) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<results xmlns=\"urn:assay:results:1\" program=\(AssayCLI.xml(sheet.program)) version=\(AssayCLI.xml(sheet.programVersion)) competition=\(AssayCLI.xml(sheet.competition)) title=\(AssayCLI.xml(sheet.competitionTitle))>\n"
        for (i, input) in sheet.inputs.enumerated() {
            s += "  <input role=\"\(i == 0 ? "rubric" : "evidence")\" path=\(AssayCLI.xml(input.path)) sha256=\"\(input.sha256)\"/>\n"
        }
        for st in sheet.standings {
            s += "  <standing rank=\"\(st.rank)\" candidate=\(AssayCLI.xml(st.candidate)) total=\"\(st.shownTotal)\""
            if let std = st.standardised { s += " standardised=\"\(std.text(decimals: 2))\"" }
            if let a = st.award { s += " award=\(AssayCLI.xml(a))" }
            s += st.tieNote == nil && st.flags.isEmpty ? "/>\n" : ">\n"
            if let n = st.tieNote { s += "    <note>\(xmlText(n))</note>\n" }
            for f in st.flags { s += "    <flag>\(xmlText(f))</flag>\n" }
            if st.tieNote != nil || !st.flags.isEmpty { s += "  </standing>\n" }
        }
        for u in sheet.unranked {
            s += "  <unranked candidate=\(AssayCLI.xml(u.candidate))>\n"
            for r in u.reasons { s += "    <reason>\(xmlText(r))</reason>\n" }
            s += "  </unranked>\n"
        }
        for a in sheet.awardCounts { s += "  <award id=\(AssayCLI.xml(a.award)) title=\(AssayCLI.xml(a.title)) count=\"\(a.count)\"/>\n" }
        for n in sheet.awardNotes { s += "  <award-note>\(xmlText(n))</award-note>\n" }
        if let n = sheet.standardisationNote { s += "  <standardisation>\(xmlText(n))</standardisation>\n" }
        let j = sheet.judges
        s += "  <judges exact-agreement=\"\(j.exactAgreement.map { String(format: "%.4f", $0) } ?? "")\" adjacent-agreement=\"\(j.adjacentAgreement.map { String(format: "%.4f", $0) } ?? "")\">\n"
        for f in j.spreadFlags {
            s += "    <spread-flag aspect=\(AssayCLI.xml(f.aspect)) candidate=\(AssayCLI.xml(f.candidate)) spread=\"\(JudgeReportText.number(f.spread))\" max-spread=\"\(JudgeReportText.number(f.maxSpread))\">\(xmlText(f.marks.joined(separator: ", ")))</spread-flag>\n"
        }
        for o in j.offsets {
            s += "    <judge id=\(AssayCLI.xml(o.judge)) mean-offset-percent=\"\(String(format: "%.4f", o.meanOffsetPercent))\" marks=\"\(o.marks)\"/>\n"
        }
        for a in j.aspects {
            s += "    <aspect id=\(AssayCLI.xml(a.aspect)) entrants=\"\(a.entrants)\" spread-flags=\"\(a.spreadFlags)\""
            if let icc = a.icc {
                s += " icc21=\"\(f2(icc.icc21))\" icc31=\"\(f2(icc.icc31))\" icc2k=\"\(f2(icc.icc2k))\" icc3k=\"\(f2(icc.icc3k))\""
                s += a.iccNote.map { ">\(xmlText($0))</aspect>\n" } ?? "/>\n"
            } else {
                s += ">\(xmlText(a.iccNote ?? ""))</aspect>\n"
            }
        }
        s += "  </judges>\n</results>\n"
        return s
    }

    // MARK: - HTML

    static func esc(_ s: String) -> String { xmlText(s).replacingOccurrences(of: "\"", with: "&quot;") }

    static func html(_ sheet: ResultSheet) -> String {
        let hasStd = sheet.standings.contains { $0.standardised != nil }
        var s = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>\(esc(sheet.competitionTitle)) — results</title>
            <style>
            body{font-family:system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:2em;color:#111}
            h1{font-size:1.4em;margin-bottom:.2em} h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #999}
            table{border-collapse:collapse;margin:.5em 0} th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}
            td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} th{background:#eee}
            tr.first td.award{background:#f6e7a8} tr.second td.award{background:#e3e3e3} tr.third td.award{background:#f0d3b5}
            .note{color:#444;font-size:.9em} .inputs{font-family:monospace;font-size:.8em;color:#333}
            .flag{color:#a00}
            @media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
            </style></head><body>
            <h1>\(esc(sheet.competitionTitle))</h1>
            <p>Competition <b>\(esc(sheet.competition))</b> of program <b>\(esc(sheet.program))</b> \(esc(sheet.programVersion)).</p>
            <div class="inputs">
            """
        for (i, input) in sheet.inputs.enumerated() {
            s += "<div>\(i == 0 ? "rubric" : "evidence") \(esc(input.path)) — SHA-256 \(input.sha256)</div>\n"
        }
        s += "</div>\n<h2>Standings</h2>\n<table id=\"standings\"><thead><tr><th>Rank</th><th>Candidate</th><th>Total</th>"
        if hasStd { s += "<th>Standardised</th>" }
        s += "<th>Award</th><th>Note</th></tr></thead><tbody>\n"
        for st in sheet.standings {
            var note = st.tieNote.map(esc) ?? ""
            for f in st.flags { note += (note.isEmpty ? "" : "<br>") + "<span class=\"flag\">\(esc(f))</span>" }
            s += "<tr class=\"\(esc(st.award ?? ""))\"><td class=\"n\">\(st.rank)</td><td>\(esc(st.candidate))</td><td class=\"n\">\(st.shownTotal)</td>"
            if hasStd { s += "<td class=\"n\">\(st.standardised?.text(decimals: 2) ?? "")</td>" }
            s += "<td class=\"award\">\(esc(st.award ?? ""))</td><td class=\"note\">\(note)</td></tr>\n"
        }
        s += "</tbody></table>\n"
        if !sheet.unranked.isEmpty {
            s += "<h2>Not ranked — no complete result</h2>\n<table><thead><tr><th>Candidate</th><th>Why</th></tr></thead><tbody>\n"
            for u in sheet.unranked { s += "<tr><td>\(esc(u.candidate))</td><td>\(u.reasons.map(esc).joined(separator: "<br>"))</td></tr>\n" }
            s += "</tbody></table>\n"
        }
        if !sheet.awardCounts.isEmpty {
            s += "<h2>Awards</h2>\n<table><thead><tr><th>Award</th><th>Count</th></tr></thead><tbody>\n"
            for a in sheet.awardCounts { s += "<tr><td>\(esc(a.title)) (\(esc(a.award)))</td><td class=\"n\">\(a.count)</td></tr>\n" }
            s += "</tbody></table>\n<ul class=\"note\">" + sheet.awardNotes.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
        }
        if let n = sheet.standardisationNote { s += "<h2>Standardisation</h2>\n<p class=\"note\">\(esc(n))</p>\n" }
        let j = sheet.judges
        s += "<h2>Judges</h2>\n"
        s += "<p>Agreement between pairs of judges on the same entrant: exact \(pct(j.exactAgreement)), within one mark step \(pct(j.adjacentAgreement)).</p>\n"
        s += offsetsSVG(j.offsets)
        s += "<h3>Marks to look at again</h3>\n<table><thead><tr><th>Aspect</th><th>Candidate</th><th>Marks</th><th>Spread</th></tr></thead><tbody>\n"
        for f in j.spreadFlags {
            s += "<tr><td>\(esc(f.aspect))</td><td>\(esc(f.candidate))</td><td>\(esc(f.marks.joined(separator: ", ")))</td><td class=\"n\">\(JudgeReportText.number(f.spread)) &gt; \(JudgeReportText.number(f.maxSpread))</td></tr>\n"
        }
        s += "</tbody></table>\n<h3>Aspects</h3>\n<table><thead><tr><th>Aspect</th><th>Entrants</th><th>Judges</th><th>Exact</th><th>Within one mark step</th><th>Spread flags</th><th>Reliability</th></tr></thead><tbody>\n"
        for a in j.aspects {
            s += "<tr><td>\(esc(a.aspect))</td><td class=\"n\">\(a.entrants)</td><td>\(esc(a.judges.joined(separator: " ")))</td><td class=\"n\">\(pct(a.exactAgreement))</td><td class=\"n\">\(pct(a.adjacentAgreement))</td><td class=\"n\">\(a.spreadFlags)</td><td>\(esc([a.icc.map(iccText), a.iccNote].compactMap { $0 }.joined(separator: "; ")))</td></tr>\n"
        }
        s += "</tbody></table>\n</body></html>\n"
        return s
    }

    /// A horizontal bar chart of each judge's mean offset (percent of the mark range), inline SVG.
    static func offsetsSVG(_ offsets: [JudgeReport.JudgeOffset]) -> String {
        guard !offsets.isEmpty else { return "" }
        let rowHeight = 22
        let width = 560
        let mid = 280  // zero line; judge names on the left, values on the right
        let scale = max(5, (offsets.map { abs($0.meanOffsetPercent) }.max() ?? 5).rounded(.up))
        let half = 170.0
        let height = offsets.count * rowHeight + 30
        var s = "<h3>Judge offsets from the rest of the panel (% of the mark range; left: severe, right: lenient)</h3>\n"
        s += "<svg id=\"judge-offsets\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"Judge offsets\">\n"
        s += "<line x1=\"\(mid)\" y1=\"0\" x2=\"\(mid)\" y2=\"\(height - 20)\" stroke=\"#333\"/>\n"
        for (i, o) in offsets.enumerated() {
            let y = i * rowHeight + 5
            let length = abs(o.meanOffsetPercent) / scale * half
            let x = o.meanOffsetPercent < 0 ? Double(mid) - length : Double(mid)
            let colour = o.meanOffsetPercent < 0 ? "#b33" : "#36a"
            s += "<text x=\"8\" y=\"\(y + 13)\" font-size=\"12\">\(esc(o.judge)) (\(o.marks) marks)</text>\n"
            s += "<rect x=\"\(String(format: "%.1f", x))\" y=\"\(y)\" width=\"\(String(format: "%.1f", max(length, 1)))\" height=\"16\" fill=\"\(colour)\"/>\n"
            s += "<text x=\"\(width - 8)\" y=\"\(y + 13)\" font-size=\"12\" text-anchor=\"end\">\(signed(o.meanOffsetPercent, 1)) %</text>\n"
        }
        s += "<text x=\"\(mid)\" y=\"\(height - 5)\" font-size=\"11\" text-anchor=\"middle\">0</text>\n"
        s += "<text x=\"\(mid - Int(half))\" y=\"\(height - 5)\" font-size=\"11\" text-anchor=\"middle\">−\(JudgeReportText.number(scale)) %</text>\n"
        s += "<text x=\"\(mid + Int(half))\" y=\"\(height - 5)\" font-size=\"11\" text-anchor=\"middle\">+\(JudgeReportText.number(scale)) %</text>\n</svg>\n"
        return s
    }
}

/// Numbers in the judge report, as people write marks.
enum JudgeReportText {
    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%g", v) }
}
