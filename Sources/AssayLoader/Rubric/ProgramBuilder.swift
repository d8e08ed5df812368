import AssayModel
import Foundation

/// Builds a ``Program`` from a rubric document that has passed schema validation, so every required
/// attribute is present and every typed attribute is well-formed; the builder still never traps on bad input.
/// It reports the few rules the schema language cannot state (attributes that go in pairs).
struct ProgramBuilder {
    let document: XMLDocument
    private(set) var diagnostics: [Diagnostic] = []

    init(document: XMLDocument) { self.document = document }

    mutating func build(_ root: Element) -> Program {
        var program = Program(
            id: root.attribute("id") ?? "", version: root.attribute("version") ?? "",
            title: root.attribute("title") ?? "", origin: root.origin)
        for child in root.children {
            switch child.name {
            case "description": program.description = child.text
            case "post": program.posts.append(post(child))
            case "course": if let c = course(child) { program.courses.append(c) }
            case "competition": if let c = competition(child) { program.competitions.append(c) }
            case "certificate": program.certificates.append(certificate(child))
            case "recognition": program.recognition = recognition(child)
            default: break
            }
        }
        return program
    }

    // MARK: - Posts

    private func post(_ e: Element) -> Post {
        let id = e.attribute("id") ?? ""
        let requirements = e.children(named: "requirement").map {
            Requirement(id: $0.attribute("id") ?? "", title: $0.attribute("title") ?? "", post: id, origin: $0.origin)
        }
        return Post(
            id: id, title: e.attribute("title") ?? "", description: e.child(named: "description")?.text,
            requirements: requirements, origin: e.origin)
    }

    private func requirementRefs(_ e: Element, _ name: StaticString) -> [RequirementRef] {
        e.children(named: name).map { RequirementRef($0.attribute("requirement") ?? "", origin: $0.origin) }
    }

    // MARK: - Scoring trees

    mutating func node(_ e: Element) -> ScoringNode {
        let origin = e.origin
        let mode = e.attribute("round").flatMap(Rounding.Mode.init(rawValue:))
        let decimals = e.attribute("decimals").flatMap { Int($0) }
        var rounding: Rounding?
        switch (mode, decimals) {
        case (let m?, let d?): rounding = Rounding(m, decimals: d)
        case (let m?, nil):
            diagnostics.append(
                Diagnostic(
                    .error, "rounding-incomplete", "node '\(e.attribute("id") ?? "")' says round=\"\(m.rawValue)\" but not to how many decimals",
                    hint: "add decimals=\"N\" (e.g. decimals=\"2\" for hundredths)", at: origin.at("round")))
        case (nil, _?):
            diagnostics.append(
                Diagnostic(
                    .error, "rounding-incomplete", "node '\(e.attribute("id") ?? "")' gives decimals but no rounding mode",
                    hint: "add round=\"half-up\" (or another mode from rubrics/README.md), or remove decimals",
                    at: origin.at("decimals")))
        case (nil, nil): break
        }
        var n = ScoringNode(
            id: e.attribute("id") ?? "", title: e.attribute("title"),
            scorer: ScorerReference(parsing: e.attribute("scorer") ?? ""),
            max: decimal(e, "max") ?? 0, min: decimal(e, "min"), weight: decimal(e, "weight"),
            kind: e.attribute("kind").flatMap(ScoringNode.Kind.init(rawValue:)), rounding: rounding,
            missing: e.attribute("missing").flatMap(ScoringNode.MissingPolicy.init(rawValue:)) ?? .incomplete,
            mustReach: decimal(e, "must-reach"), origin: origin)
        for child in e.children {
            switch child.name {
            case "param":
                n.parameters.append(
                    Parameter(name: child.attribute("name") ?? "", value: child.attribute("value") ?? "", origin: child.origin))
            case "tests": n.tests.append(RequirementRef(child.attribute("requirement") ?? "", origin: child.origin))
            case "node": n.children.append(node(child))
            default: break
            }
        }
        return n
    }

    // MARK: - Courses, competitions, certificates

    private mutating func course(_ e: Element) -> Course? {
        guard let root = e.child(named: "node") else { return nil }
        return Course(
            id: e.attribute("id") ?? "", title: e.attribute("title") ?? "",
            description: e.child(named: "description")?.text, module: e.attribute("module"),
            semester: e.attribute("semester").flatMap { Int($0) }, credits: decimal(e, "credits") ?? 0,
            pass: decimal(e, "pass") ?? 0, covers: requirementRefs(e, "covers"), assessment: node(root),
            origin: e.origin)
    }

    private mutating func competition(_ e: Element) -> Competition? {
        guard let root = e.child(named: "node") else { return nil }
        var c = Competition(id: e.attribute("id") ?? "", title: e.attribute("title") ?? "", root: node(root), origin: e.origin)
        c.description = e.child(named: "description")?.text
        if let a = e.child(named: "awards") { c.awards = awards(a) }
        if let s = e.child(named: "standardise") {
            c.standardisation = Standardisation(
                method: s.attribute("method").flatMap(Standardisation.Method.init(rawValue:)) ?? .medianCentred,
                centre: decimal(s, "centre") ?? 700, spread: decimal(s, "spread") ?? 100, origin: s.origin)
        }
        if let t = e.child(named: "tie-break") {
            c.tieBreak = t.children(named: "by").map { NodeReference($0.attribute("node") ?? "", origin: $0.origin) }
        }
        return c
    }

    private func awards(_ e: Element) -> AwardScheme {
        let awards = e.children(named: "award").map {
            Award(
                id: $0.attribute("id") ?? "", title: $0.attribute("title"),
                place: $0.attribute("place").flatMap { Int($0) }, quotaPercent: decimal($0, "quota-percent"),
                minScore: decimal($0, "min-score"), minStandardised: decimal($0, "min-standardised"), origin: $0.origin)
        }
        let small = e.children(named: "small-field").map { s in
            SmallFieldRule(
                maxEntrants: s.attribute("max-entrants").flatMap { Int($0) } ?? 0,
                grants: s.children(named: "grant").map {
                    SmallFieldRule.Grant(
                        award: $0.attribute("award") ?? "", count: $0.attribute("count").flatMap { Int($0) } ?? 0,
                        origin: $0.origin)
                }, origin: s.origin)
        }
        return AwardScheme(
            awards: awards, smallFields: small,
            rounding: e.attribute("rounding").flatMap(AwardScheme.QuotaRounding.init(rawValue:)) ?? .halfUp,
            ties: e.attribute("ties").flatMap(AwardScheme.TiePolicy.init(rawValue:)) ?? .expand, origin: e.origin)
    }

    private func certificate(_ e: Element) -> Certificate {
        var c = Certificate(
            id: e.attribute("id") ?? "", title: e.attribute("title") ?? "",
            validYears: e.attribute("valid-years").flatMap { Int($0) }, attests: requirementRefs(e, "attests"),
            levels: e.children(named: "level").map {
                Certificate.Level(
                    id: $0.attribute("id") ?? "", title: $0.attribute("title"),
                    rank: $0.attribute("rank").flatMap { Int($0) } ?? 0, origin: $0.origin)
            },
            components: e.children(named: "component").map {
                Certificate.Component(
                    id: $0.attribute("id") ?? "", title: $0.attribute("title"), max: decimal($0, "max") ?? 0,
                    pass: decimal($0, "pass") ?? 0, attests: requirementRefs($0, "attests"), origin: $0.origin)
            },
            origin: e.origin)
        c.description = e.child(named: "description")?.text
        return c
    }

    // MARK: - Recognition

    private mutating func recognition(_ e: Element) -> Recognition {
        var rules: [RecognitionRule] = []
        for r in e.children(named: "rule") {
            guard let whenElement = r.child(named: "when"), let condElement = whenElement.children.first,
                let condition = condition(condElement),
                let grantElement = r.children.first(where: { !$0.isNamed("when") }), let grant = grant(grantElement)
            else { continue }
            rules.append(
                RecognitionRule(
                    id: r.attribute("id") ?? "", title: r.attribute("title"),
                    priority: r.attribute("priority").flatMap { Int($0) } ?? 0, condition: condition, grant: grant,
                    origin: r.origin))
        }
        return Recognition(maxCredits: decimal(e, "max-credits"), rules: rules, origin: e.origin)
    }

    private func condition(_ e: Element) -> Condition? {
        switch e.name {
        case "certificate":
            return .certificate(
                ref: e.attribute("ref") ?? "", atLeast: e.attribute("at-least"),
                withinYears: e.attribute("within-years").flatMap { Int($0) }, component: e.attribute("component"),
                minScore: decimal(e, "min-score"), origin: e.origin)
        case "award":
            return .award(
                competition: e.attribute("competition") ?? "", atLeast: e.attribute("at-least") ?? "",
                withinYears: e.attribute("within-years").flatMap { Int($0) }, origin: e.origin)
        case "course":
            return .course(ref: e.attribute("ref") ?? "", minScore: decimal(e, "min-score"), origin: e.origin)
        case "all": return .all(e.children.compactMap(condition), origin: e.origin)
        case "any": return .any(e.children.compactMap(condition), origin: e.origin)
        default: return nil
        }
    }

    private func grant(_ e: Element) -> Grant? {
        switch e.name {
        case "exempt-course": return .exemptCourse(ref: e.attribute("ref") ?? "", origin: e.origin)
        case "transfer-credit":
            let map = e.children(named: "map").map {
                GradeMapEntry(
                    award: $0.attribute("award"), level: $0.attribute("level"), minScore: decimal($0, "min-score"),
                    grade: decimal($0, "grade") ?? 0, origin: $0.origin)
            }
            return .transferCredit(course: e.attribute("course") ?? "", grade: decimal(e, "grade"), map: map, origin: e.origin)
        case "exempt-component":
            return .exemptComponent(
                certificate: e.attribute("certificate") ?? "", component: e.attribute("component") ?? "", origin: e.origin)
        default: return nil
        }
    }

    private func decimal(_ e: Element, _ name: String) -> Decimal? {
        e.attribute(name).flatMap { Decimal(plainText: $0) }
    }
}
