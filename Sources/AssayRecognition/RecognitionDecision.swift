public import AssayModel
public import Foundation

/// What the recognition step decided for one candidate under one rule: granted, refused (with the condition
/// that failed), superseded by a better rule for the same thing, or cut by the program's credit cap.
///
/// Decisions are the recognition step's output: the records step signs the granted ones, `assay recognize`
/// prints all of them, and `assay diff` compares them between two rubric versions.
public struct RecognitionDecision: Sendable, Hashable {
    /// How the rule came out for this candidate.
    public enum Verdict: Sendable, Hashable {
        /// The condition holds and nothing better grants the same thing: credit is recognised.
        case granted
        /// The condition does not hold; ``RecognitionDecision/reason`` names the condition that failed.
        case refused
        /// The condition holds, but rule `byRule` grants the same thing with a higher priority or a better grade.
        case superseded(byRule: String)
        /// The condition holds, but granting it would pass the program's cap on recognised credits.
        case capped
    }

    /// The candidate's id, as in the evidence.
    public var candidate: String
    /// The rule's id and title, as in the rubric.
    public var ruleID: String
    public var ruleTitle: String?
    /// What the rule grants (course exemption, credit transfer, certificate-component exemption).
    public var grant: Grant
    public var verdict: Verdict
    /// Credits recognised (the course's credits) when granted and the grant is for a course; nil otherwise.
    public var credits: Decimal?
    /// The grade recorded for a credit transfer (from the rule's mapping table or its fixed grade); nil for an
    /// exemption or when nothing was granted.
    public var grade: Decimal?
    /// The evidence the condition used (for a refusal: what it looked at), in the order the condition names it.
    public var evidence: [EvidenceUse]
    /// Why, in a registrar's words: for a grant, the conditions met; for a refusal, the condition that failed.
    public var reason: String
    /// True for a refusal caused by an incomplete outcome (a course or exam result still missing or faulty):
    /// the decision may change once the evidence is corrected.
    public var awaitingEvidence: Bool

    public init(
        candidate: String, ruleID: String, ruleTitle: String? = nil, grant: Grant, verdict: Verdict,
        credits: Decimal? = nil, grade: Decimal? = nil, evidence: [EvidenceUse] = [], reason: String,
        awaitingEvidence: Bool = false
    ) {
        self.candidate = candidate
        self.ruleID = ruleID
        self.ruleTitle = ruleTitle
        self.grant = grant
        self.verdict = verdict
        self.credits = credits
        self.grade = grade
        self.evidence = evidence
        self.reason = reason
        self.awaitingEvidence = awaitingEvidence
    }

    /// Whether credit is recognised.
    public var isGranted: Bool { verdict == .granted }
}

/// One piece of evidence a recognition decision rests on.
public struct EvidenceUse: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A certificate the candidate holds (ref, level, issue date, serial).
        case certificate
        /// An award the candidate won in a competition.
        case award
        /// The candidate's outcome in a course (score, pass/fail).
        case courseResult = "course-result"
    }

    public var kind: Kind
    /// What it is, in words: "certificate rad-tech (Radiological technologist) at intermediate, serial
    /// RT-2025-0042, issued 2025-06-01".
    public var description: String
    /// A stable one-line text of exactly the facts used (no titles, no file names), from which the records
    /// step computes the item's SHA-256: the same facts always give the same digest, whichever file they came
    /// from. Form: `kind|field=value|field=value…` with fields in a fixed order:
    ///
    /// - `certificate|ref=rad-tech|level=intermediate|issued=2023-05-20|serial=RT-2023-017366` (`serial=` empty
    ///   when the evidence gives none); when a condition read an exam subject's score, followed by
    ///   `|component=practical|score=78|max=100`;
    /// - `award|competition=nmit-2025|award=first|date=2025-05-18`;
    /// - `course-result|course=MIT-301|score=82.5|max=100|passed=true` (the score as published, with the
    ///   decimals the rubric rounds the course total to).
    ///
    /// Values are written as in the evidence, except that `%`, `|`, `=` and control characters are
    /// percent-encoded (`%7C` for `|`).
    public var canonical: String
    /// Where the item was read (file:line or CSV row), for messages; not part of ``canonical``.
    public var origin: ItemOrigin?

    public init(kind: Kind, description: String, canonical: String, origin: ItemOrigin? = nil) {
        self.kind = kind
        self.description = description
        self.canonical = canonical
        self.origin = origin
    }
}
