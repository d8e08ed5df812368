import AssayEngine
import AssayModel
import Foundation

/// One candidate's evidence, sorted for recognition: certificates and awards the program knows (with their
/// dates read), the course and certificate outcomes by target, and the items that could not be counted.
struct CandidateFacts {
    /// A certificate the program knows, at a level it knows, with a real issue date.
    struct HeldItem {
        var held: HeldCertificate
        var certificate: Certificate
        var issued: CalendarDate
        var rank: Int
        /// Position in the candidate's evidence (for ties).
        var index: Int
    }

    /// An award of a competition the program knows, in its award scheme, with a real date.
    struct WonItem {
        var won: WonAward
        var competition: Competition
        var date: CalendarDate
        /// Position in the award scheme: 0 is the best award.
        var rank: Int
        var index: Int
    }

    /// An evidence item recognition cannot count, in words naming the candidate and the item's place.
    struct Problem {
        enum Kind { case certificate, award }
        var kind: Kind
        /// The certificate or competition it names, when the program has it (else nil: it concerns every
        /// condition of its kind).
        var known: String?
        var text: String
    }

    let candidate: CandidateEvidence
    let program: Program
    var certificates: [String: [HeldItem]] = [:]
    var awards: [String: [WonItem]] = [:]
    var problems: [Problem] = []
    private var outcomes: [String: Outcome] = [:]
    private let engine: Engine?

    /// `engine` scores a certificate's exam subjects when `outcomes` carry no node tree for it.
    init(candidate: CandidateEvidence, program: Program, outcomes: [Outcome], engine: Engine?) {
        self.candidate = candidate
        self.program = program
        self.engine = engine
        for o in outcomes where o.candidate == candidate.id {
            if self.outcomes[o.target] == nil { self.outcomes[o.target] = o }
        }
        let who = candidate.id
        for (i, h) in candidate.certificates.enumerated() {
            guard let c = program.certificate(h.ref) else {
                problems.append(
                    Problem(
                        kind: .certificate, known: nil,
                        text: "\(who)'s certificate '\(h.ref)' (\(h.origin)) is not a certificate of program \(program.id)"))
                continue
            }
            guard let level = c.level(h.level) else {
                problems.append(
                    Problem(
                        kind: .certificate, known: c.id,
                        text: "\(who)'s certificate \(c.id) at level '\(h.level)' (\(h.origin)): \(c.id) has no such level "
                            + "(its levels: \(c.levels.map(\.id).joined(separator: ", ")))"))
                continue
            }
            guard let issued = CalendarDate(h.issued) else {
                problems.append(
                    Problem(
                        kind: .certificate, known: c.id,
                        text: "\(who)'s certificate \(c.id) issued '\(h.issued)' (\(h.origin)): not a date in the form YYYY-MM-DD"))
                continue
            }
            certificates[c.id, default: []].append(HeldItem(held: h, certificate: c, issued: issued, rank: level.rank, index: i))
        }
        for (i, w) in candidate.awards.enumerated() {
            guard let c = program.competition(w.competition) else {
                problems.append(
                    Problem(
                        kind: .award, known: nil,
                        text: "\(who)'s award in '\(w.competition)' (\(w.origin)) is not from a competition of program \(program.id)"))
                continue
            }
            guard let rank = c.awards?.rank(of: w.award) else {
                let list = c.awards.map { "its awards: " + $0.awards.map(\.id).joined(separator: ", ") } ?? "it gives no awards"
                problems.append(
                    Problem(
                        kind: .award, known: c.id,
                        text: "\(who)'s award '\(w.award)' in \(c.id) (\(w.origin)): \(c.id) has no such award (\(list))"))
                continue
            }
            guard let date = CalendarDate(w.date) else {
                problems.append(
                    Problem(
                        kind: .award, known: c.id,
                        text: "\(who)'s award \(w.award) in \(c.id) dated '\(w.date)' (\(w.origin)): not a date in the form YYYY-MM-DD"))
                continue
            }
            awards[c.id, default: []].append(WonItem(won: w, competition: c, date: date, rank: rank, index: i))
        }
    }

    /// The candidate's outcome in a course or certificate, if any.
    func outcome(_ target: String) -> Outcome? { outcomes[target] }

    /// The candidate's outcome in a certificate's exam with its node tree (one node per exam subject): from the
    /// outcomes given, or scored here when they carry no tree.
    func certificateExam(_ certificate: String) -> Outcome? {
        if let o = outcomes[certificate], o.root != nil { return o }
        guard candidate.targets.contains(certificate), let engine else { return outcomes[certificate] }
        return engine.score(candidate, only: certificate, explain: false, tree: true).first
    }

    /// Problems that bear on a condition about certificate `ref`.
    func certificateProblems(_ ref: String) -> [String] {
        problems.filter { $0.kind == .certificate && ($0.known == nil || $0.known == ref) }.map(\.text)
    }

    /// Problems that bear on a condition about competition `id`.
    func awardProblems(_ id: String) -> [String] {
        problems.filter { $0.kind == .award && ($0.known == nil || $0.known == id) }.map(\.text)
    }
}
