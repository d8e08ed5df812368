public import AssayModel
import Foundation

/// Compares two versions of a program structurally (not as text): posts and requirements; courses (credits,
/// pass mark, covers, every scoring node); competitions (every node, the award scheme, standardisation,
/// tie-break order); certificates (validity, levels, components, attests); recognition rules (priority,
/// condition, grant) and the credit cap.
///
/// A node is matched by its id within its course's or competition's tree; a node whose id changed is one node
/// removed and another added. For a node it compares scorer, max, min, weight, kind, rounding, missing policy,
/// must-reach gate, parameters, `tests` and its parent (a move). Titles, descriptions, a course's module and
/// semester are wording: counted in ``wordingChanges``, never listed as changes, because they change no one's
/// result. The program's version string is neither (it is expected to change). Each change says what it is
/// to (``RubricChange/element``, ``RubricChange/aspect``), so what it can change for someone is known from
/// its kind, never guessed from its words.
public struct RubricComparer: Sendable {
    /// The structural changes, in program order (posts, courses, competitions, certificates, recognition).
    public private(set) var changes: [RubricChange] = []
    /// How many titles, descriptions and other words differ (no effect on anyone's result).
    public private(set) var wordingChanges = 0

    /// Compares `old` with `new`.
    public init(old: Program, new: Program) {
        comparePosts(old, new)
        compareKeyed(old.courses, new.courses, id: \.id, noun: "course", .course, .whole) { me, a, b in me.compareCourse(a, b) }
        compareKeyed(old.competitions, new.competitions, id: \.id, noun: "competition", .competition, .whole) { me, a, b in
            me.compareCompetition(a, b)
        }
        compareKeyed(old.certificates, new.certificates, id: \.id, noun: "certificate", .certificate, .whole) { me, a, b in
            me.compareCertificate(a, b)
        }
        compareRecognition(old.recognition, new.recognition)
        if old.title != new.title { wordingChanges += 1 }
        if old.description != new.description { wordingChanges += 1 }
    }

    // MARK: - Helpers

    private mutating func add(
        _ kind: RubricChange.Kind, _ element: RubricChange.Element, _ aspect: RubricChange.Aspect, target: String? = nil,
        node: String? = nil, rule: String? = nil, _ words: String
    ) {
        changes.append(
            RubricChange(kind: kind, element: element, aspect: aspect, target: target, node: node, rule: rule, words: words))
    }

    /// Where an added or removed element sits: its target, node and rule, from its id.
    private typealias Scope = (String) -> (target: String?, node: String?, rule: String?)

    private mutating func compareKeyed<T>(
        _ old: [T], _ new: [T], id: KeyPath<T, String>, noun: String, _ element: RubricChange.Element,
        _ aspect: RubricChange.Aspect, scope: Scope = { ($0, nil, nil) }, _ body: (inout RubricComparer, T, T) -> Void
    ) {
        let newByID = Dictionary(new.map { ($0[keyPath: id], $0) }, uniquingKeysWith: { a, _ in a })
        let oldIDs = Set(old.map { $0[keyPath: id] })
        for o in old {
            let key = o[keyPath: id]
            if let n = newByID[key] {
                body(&self, o, n)
            } else {
                let at = scope(key)
                add(.removed, element, aspect, target: at.target, node: at.node, rule: at.rule, "\(noun) \(key) removed")
            }
        }
        for n in new where !oldIDs.contains(n[keyPath: id]) {
            let at = scope(n[keyPath: id])
            add(.added, element, aspect, target: at.target, node: at.node, rule: at.rule, "\(noun) \(n[keyPath: id]) added")
        }
    }

    private mutating func field(
        _ old: String?, _ new: String?, _ name: String, at place: String, _ element: RubricChange.Element,
        _ aspect: RubricChange.Aspect, target: String?, node: String? = nil, rule: String? = nil
    ) {
        guard old != new else { return }
        add(
            .changed, element, aspect, target: target, node: node, rule: rule,
            "\(place): \(name) \(old ?? "none") → \(new ?? "none")")
    }

    private mutating func refs(
        _ old: [RequirementRef], _ new: [RequirementRef], verb: String, at place: String, _ element: RubricChange.Element,
        target: String?, node: String? = nil
    ) {
        let o = old.map(\.requirement), n = new.map(\.requirement)
        for r in o where !n.contains(r) {
            add(.removed, element, .mapping, target: target, node: node, "\(place): no longer \(verb) \(r)")
        }
        for r in n where !o.contains(r) { add(.added, element, .mapping, target: target, node: node, "\(place): now \(verb) \(r)") }
    }

    private static func d(_ v: Decimal?) -> String? { v?.plainText }

    // MARK: - Posts

    private mutating func comparePosts(_ old: Program, _ new: Program) {
        let oldReqs = Dictionary(old.requirements.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newReqs = Dictionary(new.requirements.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        compareKeyed(old.posts, new.posts, id: \.id, noun: "post", .post, .requirement, scope: { _ in (nil, nil, nil) }) { me, a, b in
            if a.title != b.title || a.description != b.description { me.wordingChanges += 1 }
        }
        for r in old.requirements {
            if let n = newReqs[r.id] {
                if n.post != r.post { add(.changed, .requirement, .requirement, "requirement \(r.id): moved from post \(r.post) to post \(n.post)") }
                if n.title != r.title { wordingChanges += 1 }
            } else {
                add(.removed, .requirement, .requirement, "requirement \(r.id) (post \(r.post)) removed")
            }
        }
        for r in new.requirements where oldReqs[r.id] == nil { add(.added, .requirement, .requirement, "requirement \(r.id) (post \(r.post)) added") }
    }

    // MARK: - Courses and competitions

    private mutating func compareCourse(_ a: Course, _ b: Course) {
        let place = "course \(a.id)"
        if a.title != b.title || a.description != b.description { wordingChanges += 1 }
        if a.module != b.module || a.semester != b.semester { wordingChanges += 1 }
        field(Self.d(a.credits), Self.d(b.credits), "credits", at: place, .course, .credits, target: a.id)
        field(Self.d(a.pass), Self.d(b.pass), "pass mark", at: place, .course, .passMark, target: a.id)
        refs(a.covers, b.covers, verb: "covers", at: place, .course, target: a.id)
        compareTree(a.assessment, b.assessment, .course, target: a.id, place: place)
    }

    private mutating func compareCompetition(_ a: Competition, _ b: Competition) {
        let place = "competition \(a.id)"
        if a.title != b.title || a.description != b.description { wordingChanges += 1 }
        compareTree(a.root, b.root, .competition, target: a.id, place: place)
        compareAwards(a.awards, b.awards, target: a.id, place: place)
        field(
            a.standardisation.map(Self.standardisation), b.standardisation.map(Self.standardisation), "standardisation",
            at: place, .competition, .standardisation, target: a.id)
        let ta = a.tieBreak.map(\.node).joined(separator: ", "), tb = b.tieBreak.map(\.node).joined(separator: ", ")
        field(ta.isEmpty ? nil : ta, tb.isEmpty ? nil : tb, "tie-break order", at: place, .competition, .tieBreak, target: a.id)
    }

    private static func standardisation(_ s: Standardisation) -> String {
        "\(s.method.rawValue) centre \(s.centre.plainText) spread \(s.spread.plainText)"
    }

    private mutating func compareTree(
        _ a: ScoringNode, _ b: ScoringNode, _ element: RubricChange.Element, target: String, place: String
    ) {
        func index(_ root: ScoringNode) -> [(node: ScoringNode, parent: String?)] {
            var out: [(ScoringNode, String?)] = []
            func walk(_ n: ScoringNode, _ parent: String?) {
                out.append((n, parent))
                for c in n.children { walk(c, n.id) }
            }
            walk(root, nil)
            return out
        }
        let old = index(a), new = index(b)
        let newByID = Dictionary(new.map { ($0.node.id, $0) }, uniquingKeysWith: { x, _ in x })
        let oldIDs = Set(old.map(\.node.id))
        for (o, oldParent) in old {
            let at = "\(place), node \(o.id)"
            guard let (n, newParent) = newByID[o.id] else {
                add(.removed, element, .scoring, target: target, node: o.id, "\(at) removed")
                continue
            }
            if oldParent != newParent {
                add(
                    .changed, element, .scoring, target: target, node: o.id,
                    "\(at): moved from under \(oldParent ?? "the top") to under \(newParent ?? "the top")")
            }
            if o.title != n.title { wordingChanges += 1 }
            field(o.scorer.description, n.scorer.description, "scorer", at: at, element, .scoring, target: target, node: o.id)
            field(Self.d(o.max), Self.d(n.max), "max", at: at, element, .scoring, target: target, node: o.id)
            field(Self.d(o.min), Self.d(n.min), "min", at: at, element, .scoring, target: target, node: o.id)
            field(Self.d(o.weight), Self.d(n.weight), "weight", at: at, element, .scoring, target: target, node: o.id)
            field(o.kind?.rawValue, n.kind?.rawValue, "kind", at: at, element, .scoring, target: target, node: o.id)
            field(o.rounding.map(Self.rounding), n.rounding.map(Self.rounding), "rounding", at: at, element, .scoring, target: target, node: o.id)
            field(o.missing.rawValue, n.missing.rawValue, "missing", at: at, element, .scoring, target: target, node: o.id)
            field(Self.d(o.mustReach), Self.d(n.mustReach), "must-reach", at: at, element, .passMark, target: target, node: o.id)
            let names = o.parameters.map(\.name) + n.parameters.map(\.name).filter { name in !o.parameters.contains { $0.name == name } }
            for name in names {
                field(o.parameter(name), n.parameter(name), "parameter \(name)", at: at, element, .scoring, target: target, node: o.id)
            }
            refs(o.tests, n.tests, verb: "tests", at: at, element, target: target, node: o.id)
        }
        for (n, parent) in new where !oldIDs.contains(n.id) {
            add(.added, element, .scoring, target: target, node: n.id, "\(place), node \(n.id) added under \(parent ?? "the top")")
        }
    }

    private static func rounding(_ r: Rounding) -> String { "\(r.mode.rawValue) to \(r.decimals) decimals" }

    private mutating func compareAwards(_ a: AwardScheme?, _ b: AwardScheme?, target: String, place: String) {
        guard let a, let b else {
            if a == nil && b != nil { add(.added, .competition, .awards, target: target, "\(place): award scheme added") }
            if a != nil && b == nil { add(.removed, .competition, .awards, target: target, "\(place): award scheme removed") }
            return
        }
        compareKeyed(a.awards, b.awards, id: \.id, noun: "\(place): award", .competition, .awards, scope: { _ in (target, nil, nil) }) { me, x, y in
            let at = "\(place), award \(x.id)"
            if x.title != y.title { me.wordingChanges += 1 }
            me.field(x.place.map(String.init), y.place.map(String.init), "place", at: at, .competition, .awardRules, target: target)
            me.field(Self.d(x.quotaPercent), Self.d(y.quotaPercent), "quota-percent", at: at, .competition, .awardRules, target: target)
            me.field(Self.d(x.minScore), Self.d(y.minScore), "min-score", at: at, .competition, .awardRules, target: target)
            me.field(Self.d(x.minStandardised), Self.d(y.minStandardised), "min-standardised", at: at, .competition, .awardRules, target: target)
        }
        let oa = a.awards.map(\.id).joined(separator: ", "), ob = b.awards.map(\.id).joined(separator: ", ")
        if Set(a.awards.map(\.id)) == Set(b.awards.map(\.id)) {
            field(oa, ob, "award order", at: place, .competition, .awards, target: target)
        }
        field(a.rounding.rawValue, b.rounding.rawValue, "quota rounding", at: place, .competition, .awardRules, target: target)
        field(a.ties.rawValue, b.ties.rawValue, "ties", at: place, .competition, .awardRules, target: target)
        func small(_ s: AwardScheme) -> String? {
            let t = s.smallFields.map { f in
                "≤ \(f.maxEntrants) entrants: " + f.grants.map { "\($0.count) \($0.award)" }.joined(separator: ", ")
            }.joined(separator: "; ")
            return t.isEmpty ? nil : t
        }
        field(small(a), small(b), "small-field rules", at: place, .competition, .awardRules, target: target)
    }

    // MARK: - Certificates

    private mutating func compareCertificate(_ a: Certificate, _ b: Certificate) {
        let place = "certificate \(a.id)"
        if a.title != b.title || a.description != b.description { wordingChanges += 1 }
        field(a.validYears.map(String.init), b.validYears.map(String.init), "valid-years", at: place, .certificate, .validity, target: a.id)
        refs(a.attests, b.attests, verb: "attests", at: place, .certificate, target: a.id)
        compareKeyed(a.levels, b.levels, id: \.id, noun: "\(place): level", .certificate, .levels, scope: { _ in (a.id, nil, nil) }) { me, x, y in
            if x.title != y.title { me.wordingChanges += 1 }
            me.field(String(x.rank), String(y.rank), "rank", at: "\(place), level \(x.id)", .certificate, .levels, target: a.id)
        }
        compareKeyed(a.components, b.components, id: \.id, noun: "\(place): component", .certificate, .scoring, scope: { (a.id, $0, nil) }) { me, x, y in
            let at = "\(place), component \(x.id)"
            if x.title != y.title { me.wordingChanges += 1 }
            me.field(Self.d(x.max), Self.d(y.max), "max", at: at, .certificate, .scoring, target: a.id, node: x.id)
            me.field(Self.d(x.pass), Self.d(y.pass), "pass mark", at: at, .certificate, .passMark, target: a.id, node: x.id)
            me.refs(x.attests, y.attests, verb: "attests", at: at, .certificate, target: a.id, node: x.id)
        }
    }

    // MARK: - Recognition

    private mutating func compareRecognition(_ a: Recognition?, _ b: Recognition?) {
        field(
            Self.d(a?.maxCredits), Self.d(b?.maxCredits), "max-credits", at: "recognition", .recognition, .creditCap, target: nil,
            rule: "max-credits")
        compareKeyed(a?.rules ?? [], b?.rules ?? [], id: \.id, noun: "rule", .recognition, .rule, scope: { (nil, nil, $0) }) { me, x, y in
            let at = "rule \(x.id)"
            if x.title != y.title { me.wordingChanges += 1 }
            me.field(String(x.priority), String(y.priority), "priority", at: at, .recognition, .rule, target: nil, rule: x.id)
            me.field(Self.text(x.condition), Self.text(y.condition), "condition", at: at, .recognition, .rule, target: nil, rule: x.id)
            me.field(Self.text(x.grant), Self.text(y.grant), "grant", at: at, .recognition, .rule, target: nil, rule: x.id)
        }
    }

    /// A condition in words: `certificate rad-tech at least junior within 3 years`, `all of (…; …)`.
    public static func text(_ c: Condition) -> String {
        switch c {
        case .certificate(let ref, let atLeast, let within, let component, let minScore, _):
            var s = "certificate \(ref)"
            if let atLeast { s += " at least \(atLeast)" }
            if let component { s += ", component \(component)" }
            if let minScore { s += " score ≥ \(minScore.plainText)" }
            if let within { s += " within \(within) years" }
            return s
        case .award(let competition, let atLeast, let within, _):
            return "award of \(competition) at least \(atLeast)" + (within.map { " within \($0) years" } ?? "")
        case .course(let ref, let minScore, _):
            return minScore.map { "course \(ref) score ≥ \($0.plainText)" } ?? "course \(ref) passed"
        case .all(let cs, _): return "all of (" + cs.map(text).joined(separator: "; ") + ")"
        case .any(let cs, _): return "any of (" + cs.map(text).joined(separator: "; ") + ")"
        }
    }

    /// A grant in words: `exempt course MIT-201`, `credit for MIT-201, grade 80 (first → 95, second → 88)`.
    public static func text(_ g: Grant) -> String {
        switch g {
        case .exemptCourse(let ref, _): return "exempt course \(ref)"
        case .transferCredit(let course, let grade, let map, _):
            var s = "credit for \(course)"
            if let grade { s += ", grade \(grade.plainText)" }
            if !map.isEmpty {
                s += " ("
                    + map.map { e -> String in
                        let key = e.award ?? e.level ?? e.minScore.map { "score ≥ \($0.plainText)" } ?? "?"
                        return "\(key) → \(e.grade.plainText)"
                    }.joined(separator: ", ") + ")"
            }
            return s
        case .exemptComponent(let certificate, let component, _):
            return "exempt component \(component) of certificate \(certificate)"
        }
    }
}
