import AssayEngine
import AssayLoader
import AssayModel
import AssayPlugins
import AssayRecognition
import Foundation

/// `assay recognize RUBRIC EVIDENCE...`: decides, for every candidate, what each recognition rule of the program
/// grants, prints the decisions with their reasons, and (unless `--dry-run`) hands the grants to record issuing.
enum RecognizeCommand {
    static let help = """
        USAGE: assay recognize RUBRIC EVIDENCE... [--as-of YYYY-MM-DD] [--candidate ID] [--format text|csv|json]
                               (--dry-run | --key KEY --ledger DB) [--plugins DIR]

        Recognises credit. For every candidate in the evidence, each recognition rule of the program is checked
        against the candidate's certificates, competition awards and course results (scored from the same
        evidence), and decided: granted, refused (with the condition that failed and what was found instead),
        superseded (another rule grants the same course or exam subject with a higher priority or a better
        grade), or capped (the program's limit on credits by recognition is reached). Every decision says why.

        Dates are judged on the decision date: a certificate or award must be dated on or before it, and
        "within N years" includes the N-th anniversary itself. An incomplete course result satisfies no rule
        until the evidence is corrected. Certificates, levels, competitions or awards the program does not have
        are not counted and are listed on standard error.

        With --key and --ledger, every granted decision becomes a signed record in the ledger, once: running
        again issues only what is new. A candidate gets no records in a run while a decision of theirs waits on
        an incomplete result (a waiting rule may come first, or use up the credit cap), or while their evidence
        cannot be trusted or counted as it stands (the candidate appears twice in one file, the file is
        malformed inside it, a certificate or award recognition cannot count): the grants are held back, said
        on one line, and issued by a later run once the evidence is complete and correct.

        OPTIONS:
          --as-of YYYY-MM-DD    the decision date (default: today's date, in UTC — the decisions then depend
                                on the day they are made; give the date to get the same output every time)
          --candidate ID        only this candidate
          --format text|csv|json
                                text: one block per candidate (default); csv: candidate,rule,grant,verdict,
                                credits,grade,reason; json: every decision with the evidence it rests on
          --dry-run             decide and print, issue nothing
          --key KEY             the issuer's private key (from 'assay keygen'), to sign the records
          --ledger DB           the records ledger (SQLite) the records are written to
          --encoding auto|utf-8|gb18030
                                character set of CSV mark sheets (default auto: UTF-8, or else GB18030,
                                what Chinese Excel saves as "CSV (逗号分隔)", with a warning)
          --plugins DIR         plugins folder (default: ./plugins)
          -h, --help            show this help

        Another run issuing into the same ledger is waited for (up to 10 seconds, or ASSAY_LEDGER_WAIT seconds,
        0 to 3600); the records of both end up in the one hash chain.

        EXIT: 0 decided (and, when issuing, every grant has its record), 1 an input failed a check (evidence
        recognition cannot count, an incomplete result a rule needed, a faulty evidence file) or a record was
        not issued (held back, revoked, in conflict, the ledger stayed locked by another process), 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(
            arguments, options: ["--as-of", "--candidate", "--format", "--key", "--ledger", "--plugins", "--encoding"], flags: ["--dry-run"])
        let encoding = try args.markSheetEncoding()
        let format = try args.choice("--format", ["text", "csv", "json"], default: "text")
        guard args.positional.count >= 2 else {
            throw UsageError("recognize needs a rubric and at least one evidence file")
        }
        let asOf = args.value("--as-of") ?? today()
        guard CalendarDate(asOf) != nil else {
            throw UsageError("--as-of must be a date in the form YYYY-MM-DD, not '\(asOf)'")
        }
        let dryRun = args.has("--dry-run")
        if !dryRun, args.value("--key") == nil || args.value("--ledger") == nil {
            throw UsageError("recognize issues records: give --key KEY and --ledger DB, or --dry-run to decide only")
        }
        if !dryRun { _ = try LedgerWait.seconds() }  // a bad ASSAY_LEDGER_WAIT is a usage error before any work
        let rubricPath = args.positional[0]
        let evidencePaths = Array(args.positional.dropFirst())

        guard let rubric = ValidRubric.load(rubricPath, pluginDirectory: args.value("--plugins"), output: output) else {
            return AssayCommand.ExitCode.checkFailed
        }
        let program = rubric.program
        guard let recognition = program.recognition, !recognition.rules.isEmpty else {
            output.err("assay: program \(program.id) has no recognition rules; there is nothing to decide\n")
            return AssayCommand.ExitCode.checkFailed
        }
        // Courses scored by plugin scorers run them in their own processes, as `assay score` does.
        let pluginHost = PluginHost(manifests: rubric.plugins, program: program)
        defer { pluginHost.shutdown() }
        let engine = Engine(program: program, plugins: pluginHost)
        let recognizer = Recognizer(program: program, asOf: asOf)
        let only = args.value("--candidate")

        var writer: any DecisionWriter
        switch format {
        case "csv": writer = CSVDecisionWriter(output: output)
        case "json": writer = JSONDecisionWriter(output: output)
        default: writer = TextDecisionWriter(output: output)
        }
        // The output begins with the first candidate (or at the end): never before a fatal input error is known.
        var begun = false
        var granted: [RecognitionDecision] = []
        var problems: [String] = []
        var awaiting = 0
        /// Candidates whose grants are not issued in this run, and why.
        var holdBack: [String: HoldBack] = [:]
        /// Evidence that puts a whole candidate in doubt (read twice, possibly misread), as said on standard error.
        var doubts: [String] = []
        var found = false
        let pipeline = CandidatePipeline(
            reader: EvidenceReader(program: program.id, encoding: encoding), paths: evidencePaths, prepare: { engine.prepare($0) })
        let diagnostics = pipeline.forEach { candidate in
            if let only, candidate.id != only { return }
            found = true
            let outcomes = engine.score(candidate, tree: false)
            let decisions = recognizer.decide(candidate, outcomes: outcomes)
            let candidateProblems = recognizer.evidenceProblems(candidate)
            problems += candidateProblems
            let waiting = decisions.filter(\.awaitingEvidence).count
            awaiting += waiting
            let wholeCandidate = candidate.problems.filter(\.concernsWholeCandidate)
            if !wholeCandidate.isEmpty {
                // (A malformed file marks every target of the candidate with the same words: say them once.)
                var said: [String] = []
                for p in wholeCandidate where !said.contains("\(p.message) (\(p.origin))") { said.append("\(p.message) (\(p.origin))") }
                let what = said.joined(separator: "; ")
                doubts.append("\(what): no credit is issued to \(candidate.id) until the evidence is corrected")
                holdBack[candidate.id] = .evidenceToCorrect(what)
            } else if holdBack[candidate.id] == nil, !candidateProblems.isEmpty {
                let n = candidateProblems.count
                holdBack[candidate.id] = .evidenceToCorrect("\(n) evidence item\(n == 1 ? "" : "s") recognition cannot count (listed on standard error)")
            } else if holdBack[candidate.id] == nil, waiting > 0 {
                holdBack[candidate.id] = .awaitingEvidence(rules: decisions.filter(\.awaitingEvidence).map(\.ruleID))
            }
            granted += decisions.filter(\.isGranted)
            if !begun {
                writer.begin(program: program, asOf: asOf)
                begun = true
            }
            writer.write(candidate: candidate.id, decisions: decisions, cap: recognition.maxCredits, problems: candidateProblems)
        }
        pluginHost.shutdown()
        if diagnostics.contains(where: EvidenceReader.isFatal) {
            // Nothing decided and nothing issued on part of the evidence.
            for d in diagnostics {
                output.err(d.formatted + "\n")
                if EvidenceReader.isFatal(d), !d.hint.isEmpty { output.err("  hint: \(d.hint)\n") }
            }
            output.err("assay: nothing was decided: an evidence file could not be read\n")
            return AssayCommand.ExitCode.checkFailed
        }
        if !begun { writer.begin(program: program, asOf: asOf) }
        writer.end(diagnostics: diagnostics)
        for d in diagnostics { output.err(d.formatted + "\n") }
        for line in pluginHost.diagnostics { output.err("assay: \(line)\n") }
        for p in problems { output.err("assay: \(p); it is not counted\n") }
        for d in doubts { output.err("assay: \(d)\n") }
        if let only, !found {
            output.err("assay: no evidence names candidate '\(only)'\n")
            return AssayCommand.ExitCode.checkFailed
        }
        let status =
            diagnostics.errorCount > 0 || !problems.isEmpty || !doubts.isEmpty || awaiting > 0
            ? AssayCommand.ExitCode.checkFailed : AssayCommand.ExitCode.ok

        // MARK: - Hand-over to record issuing
        // The one place where the granted decisions (`granted`, in candidate then rubric order) leave the
        // recognition step. With --dry-run nothing is issued. Otherwise they go to record issuing (signed
        // credentials in the ledger given by --key and --ledger; see RecordIssuing).
        if dryRun { return status }
        let issuing = RecordIssuing.issue(
            granted, program: program, rubricSHA256: FileDigest.sha256(ofFile: rubricPath)?.hex ?? "",
            keyPath: args.value("--key") ?? "", ledgerPath: args.value("--ledger") ?? "", issuedAt: RecordIssuing.issueTime(),
            decisionDate: asOf, holdBack: holdBack, linesToStandardError: format != "text", output: output)
        return issuing == AssayCommand.ExitCode.ok ? status : issuing
    }

    /// Today's date in UTC, `YYYY-MM-DD` (only when --as-of is not given).
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
