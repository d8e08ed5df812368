import AssayModel
import Foundation
import Testing

@testable import AssayLoader

// The bad-rubric suite: Fixtures/bad holds small rubrics with ONE problem each, named after the problem.
// Each case below lists every diagnostic its file produces, exactly: severity, code, line, column and
// message (and the hint where it carries a "did you mean"). An extra or missing diagnostic fails the case.
//
// Problems whose current report is wrong are not in `cases` with the wrong output: they are in
// `knownDefects`, which states what the report should be and runs under `withKnownIssue`. When a defect is
// fixed, its known-issue test fails ("known issue was not recorded"): move the case into `cases` then.

/// Fixtures/bad beside this file.
private let badFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bad")

private func badFixturePath(_ name: String) -> String { badFixtures.appendingPathComponent(name).path }

/// A plugin offering one leaf scorer, `plugin:exposure-check`, for the plugin-scorer cases.
private let exposurePlugin = PluginManifest(
    name: "exposure", version: "1.0.0", protocolVersion: 1, executable: "bin/exposure-check",
    directory: "/nonexistent/plugins/exposure",
    scorers: [
        ScorerSignature(
            id: "exposure-check", summary: "Checks a radiograph's exposure against a reference.", placement: .leaf,
            parameters: [ParameterSpec("target", .decimal, "the reference exposure")])
    ])

/// Every code ProgramChecker reports: its own list (``ProgramChecker/Code``), not a copy.
private let checkerCodes = ProgramChecker.Code.allCases.map(\.rawValue)
private let builderCodes = ["rounding-incomplete"]

/// The XML-level codes a rubric file can reach (file-unreadable has its own test below; not-a-rubric cannot
/// be reached through RubricLoader, which refuses a wrong root before the schema runs; schema-invalid is the
/// catch-all, reached today only by the misclassified values in `knownDefects`).
private let xmlCodes = [
    "xml-malformed", "xml-unclosed-tag", "xml-mismatched-tag", "xml-empty", "xml-doctype-refused", "wrong-root",
    "schema-missing-attribute", "schema-unknown-attribute", "schema-unexpected-element", "schema-unexpected-text",
    "schema-bad-value",
]

/// The codes rubrics/README.md's table of meaning checks documents (the last cell of each row).
private func readmeMeaningCodes() throws -> [String] {
    let readme = badFixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rubrics/README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    guard let start = text.range(of: "**Meaning**") else { return [] }
    var codes: [String] = []
    for line in text[start.upperBound...].split(separator: "\n").drop(while: { !$0.hasPrefix("|") }) {
        guard line.hasPrefix("|") else { break }
        let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let last = cells.last, last.hasPrefix("`") else { continue }
        codes += last.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "` ")) }
    }
    return codes
}

/// One expected diagnostic.
struct BadRubricExpected: Sendable, Hashable, CustomStringConvertible {
    var severity: Diagnostic.Severity
    var code: String
    var line: Int
    var column: Int?
    var message: String
    /// Checked only when given.
    var hint: String?

    static func error(_ code: String, _ line: Int, _ column: Int?, _ message: String, hint: String? = nil) -> BadRubricExpected {
        BadRubricExpected(severity: .error, code: code, line: line, column: column, message: message, hint: hint)
    }

    static func warning(_ code: String, _ line: Int, _ column: Int?, _ message: String, hint: String? = nil) -> BadRubricExpected {
        BadRubricExpected(severity: .warning, code: code, line: line, column: column, message: message, hint: hint)
    }

    /// What is compared for every diagnostic.
    var key: Key { Key(severity: severity, code: code, line: line, column: column, message: message) }

    struct Key: Hashable, CustomStringConvertible {
        var severity: Diagnostic.Severity
        var code: String
        var line: Int
        var column: Int?
        var message: String

        init(severity: Diagnostic.Severity, code: String, line: Int, column: Int?, message: String) {
            (self.severity, self.code, self.line, self.column, self.message) = (severity, code, line, column, message)
        }

        init(_ d: Diagnostic) {
            self.init(
                severity: d.severity, code: d.code, line: d.location.line, column: d.location.column, message: d.message)
        }

        var description: String { "\(line):\(column.map(String.init) ?? "-") \(severity.rawValue) [\(code)] \(message)" }
    }

    var description: String { key.description }
}

/// A fixture and every diagnostic it must produce.
struct BadRubricCase: Sendable, CustomTestStringConvertible {
    let fixture: String
    let plugins: [PluginManifest]
    let expected: [BadRubricExpected]

    init(_ fixture: String, plugins: [PluginManifest] = [], _ expected: [BadRubricExpected]) {
        self.fixture = fixture
        self.plugins = plugins
        self.expected = expected
    }

    var testDescription: String { fixture }
}

/// Loads a fixture the way `assay validate` does.
private func loadBadFixture(_ name: String, plugins: [PluginManifest] = []) -> (path: String, result: RubricLoader.Result) {
    let path = badFixturePath(name)
    return (path, RubricLoader(plugins: plugins).load(path))
}

extension BadRubricTests {
    static let cases: [BadRubricCase] = [
        // MARK: Negative values and self-references
        BadRubricCase("negative-pass.xml", [
            .error("negative-value", 3, 41, "course 'C1' has a negative pass mark (-60)"),
        ]),
        BadRubricCase("negative-transfer-grade.xml", [
            .error("negative-value", 14, 36, "rule 'R1' grants a negative grade (-5) in 'C1'"),
        ]),
        BadRubricCase("value-source-itself.xml", [
            .error("source-cycle", 7, 69, "parameter 'source' of node 'again' names the node itself"),
        ]),
        BadRubricCase("undefined-entity.xml", [
            .error("xml-malformed", 2, 56, "'&foo;' is not a character Assay knows (rubrics have no entity declarations)"),
        ]),
        BadRubricCase("mismatched-tag.xml", [
            .error("xml-mismatched-tag", 8, 5, "</nodes> does not close any open element; the innermost open element is <node> (line 5)"),
        ]),
        BadRubricCase("duplicate-level-id-three-times.xml", [
            .error("duplicate-id", 6, 12, "level 'junior' appears again in certificate 'rad' (first on line 5)"),
            .error("duplicate-id", 7, 12, "level 'junior' appears again in certificate 'rad' (first on line 5)"),
        ]),
        BadRubricCase("unknown-scorer-typo.xml", [
            .error("unknown-scorer", 5, 22, "node 'total' names the scorer 'weighted-maen', which Assay does not have", hint: "did you mean 'weighted-mean'?"),
        ]),
        BadRubricCase("empty-title.xml", [
            .error("schema-bad-value", 3, 19, "<course> attribute 'title': the value is empty"),
        ]),
        BadRubricCase("bad-percent.xml", [
            .error("schema-bad-value", 10, 26, "<award> attribute 'quota-percent': '120' is more than the largest allowed value, 100"),
        ]),
        BadRubricCase("empty-file.xml", [
            .error("xml-empty", 1, 1, "the file is empty"),
        ]),
        // MARK: Well-formedness: libxml2 stops at the first fatal error
        BadRubricCase("unclosed-tag.xml", [
            .error("xml-unclosed-tag", 4, 5, "<covers> is not closed: the next closing tag is </course> on line 9"),
        ]),
        // libxml2 pairs prac's </node> (line 8) with total (line 5) and blames total; the indentation shows that
        // the </node> on line 8 lines up with total's start tag, so prac (line 7) is the one left open.
        BadRubricCase("unclosed-nested-node.xml", [
            .error(
                "xml-unclosed-tag", 7, 7,
                "<node> is not closed: the </node> on line 8 lines up with the <node> on line 5, and nothing closes this one before </course> on line 9"),
        ]),
        // The same mistake with no indentation to go by: libxml2's account stands (the start tag it blames).
        BadRubricCase("unclosed-nested-node-unindented.xml", [
            .error("xml-unclosed-tag", 5, 1, "<node> is not closed: the next closing tag is </course> on line 9"),
        ]),
        BadRubricCase("unclosed-at-end-of-file.xml", [
            .error("xml-unclosed-tag", 1, 1, "<program> is not closed before the file ends"),
        ]),
        BadRubricCase("bad-attribute-quoting.xml", [
            .error("xml-malformed", 3, 37, "an attribute value is not in quotes"),
        ]),
        BadRubricCase("text-after-root.xml", [
            .error("xml-malformed", 11, 1, "malformed XML: Extra content at the end of the document"),
        ]),
        BadRubricCase("whitespace-only.xml", [
            .error("xml-empty", 1, 1, "the file is empty"),
        ]),
        BadRubricCase("doctype-refused.xml", [
            .error(
                "xml-doctype-refused", 2, 1,
                "the file has a DOCTYPE declaration; Assay refuses DOCTYPEs, entity declarations and external DTDs in its input, and read nothing further"),
        ]),
        // MARK: The root element
        BadRubricCase("wrong-root-element.xml", [
            .error(
                "wrong-root", 1, 1,
                "this is not a rubric: its root element is <rubric> in namespace urn:assay:rubric:1"),
        ]),
        BadRubricCase("wrong-namespace.xml", [
            .error(
                "wrong-root", 1, 1,
                "this is not a rubric: its root element is <program> in namespace urn:assay:rubric:2"),
        ]),
        BadRubricCase("no-namespace.xml", [
            .error("wrong-root", 1, 1, "this is not a rubric: its root element is <program> with no namespace"),
        ]),
        // MARK: The schema (rubric.xsd)
        BadRubricCase("missing-required-attribute.xml", [
            .error("schema-missing-attribute", 3, 3, "<course> is missing the attribute 'credits'"),
        ]),
        BadRubricCase("unknown-attribute.xml", [
            .error("schema-unknown-attribute", 6, 23, "<node> does not take an attribute 'wieght'"),
        ]),
        BadRubricCase("element-out-of-order.xml", [
            .error("schema-unexpected-element", 8, 5, "<covers> is not allowed here"),
        ]),
        BadRubricCase("element-in-wrong-place.xml", [
            .error(
                "schema-unexpected-element", 4, 5,
                "<requirement> is not allowed here; expected one of <description>, <covers>, <node>"),
        ]),
        BadRubricCase("missing-child-element.xml", [
            .error(
                "schema-unexpected-element", 3, 3,
                "<course> is missing something inside it; expected one of <covers>, <node>"),
        ]),
        BadRubricCase("text-inside-element.xml", [
            .error("schema-unexpected-text", 5, 5, "text is not allowed directly inside <course>"),
        ]),
        BadRubricCase("bad-decimal.xml", [
            .error("schema-bad-value", 3, 29, "<course> attribute 'credits': 'four' is not a decimal number"),
        ]),
        BadRubricCase("bad-id-pattern.xml", [
            .error("schema-bad-value", 3, 11, "<course> attribute 'id': '-C1' is not a valid id (letters, digits, '.', '_', '-'; starting with a letter or digit)"),
        ]),
        BadRubricCase("bad-enum-round.xml", [
            .error("schema-bad-value", 6, 60, "<node> attribute 'round': 'nearest' is not one of: half-up, half-even, half-down, up, down, floor, ceiling"),
        ]),
        // MARK: Identities
        BadRubricCase("duplicate-course-id.xml", [
            .error("duplicate-id", 10, 11, "the id 'C1' of this course is already used by the course on line 3"),
        ]),
        BadRubricCase("duplicate-id-across-kinds.xml", [
            .error("duplicate-id", 3, 11, "the id 'r1' of this course is already used by the requirement on line 2"),
        ]),
        BadRubricCase("duplicate-node-id.xml", [
            .error("duplicate-id", 7, 13, "node id 'exam' is used twice in course 'C1' (first on line 6)"),
        ]),
        BadRubricCase("duplicate-level-id.xml", [
            .error("duplicate-id", 6, 12, "level 'junior' appears again in certificate 'rad' (first on line 5)"),
        ]),
        BadRubricCase("duplicate-component-id.xml", [
            .error("duplicate-id", 8, 16, "component 'theory' appears again in certificate 'rad' (first on line 7)"),
        ]),
        BadRubricCase("duplicate-award-id.xml", [
            .error("duplicate-id", 10, 14, "award 'first' is defined twice in competition 'K1' (first on line 9)"),
        ]),
        BadRubricCase("requirement-reused.xml", [
            .error("requirement-reused", 3, 39, "requirement 'r1' is already a requirement of post 'p' (line 2)"),
        ]),
        // MARK: Dangling references
        BadRubricCase("dangling-covers.xml", [
            .error("unknown-requirement", 4, 13, "no post has a requirement 'r2'"),
        ]),
        BadRubricCase("dangling-tests.xml", [
            .warning(
                "tests-in-course", 7, 9,
                "node 'exam' of course 'C1' says it tests requirement 'r9', but only a competition's <tests> count in the integration matrix"),
            .error("unknown-requirement", 7, 16, "no post has a requirement 'r9'"),
        ]),
        BadRubricCase("tests-in-course.xml", [
            .warning(
                "tests-in-course", 7, 9,
                "node 'exam' of course 'C1' says it tests requirement 'r1', but only a competition's <tests> count in the integration matrix",
                hint: "a course names what it teaches with <covers requirement=\"r1\"/> on the course itself; move it there, or delete this <tests>"),
        ]),
        BadRubricCase("dangling-attests.xml", [
            .error("unknown-requirement", 4, 14, "no post has a requirement 'rl'"),
        ]),
        BadRubricCase("dangling-tie-break-node.xml", [
            .error(
                "unknown-node", 12, 34,
                "the tie-break names node 'b', which competition 'K1' does not have",
                hint: "did you mean 'B'?"),
        ]),
        BadRubricCase("dangling-value-source.xml", [
            .error(
                "unknown-node", 8, 30,
                "parameter 'source' of node 'prac' names node 'exams', which is not in this scoring tree",
                hint: "did you mean 'exam'?"),
        ]),
        BadRubricCase("rule-unknown-course.xml", [
            .error("unknown-course", 17, 89, "rule 'R1' exempts course 'C2', which the program does not define"),
        ]),
        BadRubricCase("rule-condition-unknown-course.xml", [
            .error("unknown-course", 18, 33, "rule 'R1' names course 'C3', which the program does not define"),
        ]),
        BadRubricCase("rule-unknown-competition.xml", [
            .error("unknown-competition", 21, 32, "rule 'R1' names competition 'K2', which the program does not define"),
        ]),
        BadRubricCase("rule-unknown-certificate.xml", [
            .error(
                "unknown-certificate", 17, 38,
                "rule 'R1' names certificate 'rads', which the program does not define",
                hint: "did you mean 'rad'?"),
        ]),
        BadRubricCase("rule-unknown-level.xml", [
            .error("unknown-level", 17, 48, "certificate 'rad' has no level 'middle' (rule 'R1')"),
        ]),
        BadRubricCase("rule-unknown-component.xml", [
            .error("unknown-component", 17, 48, "certificate 'rad' has no component 'practical' (rule 'R1')"),
        ]),
        BadRubricCase("rule-unknown-award.xml", [
            .error("unknown-award", 21, 49, "competition 'K1' has no award 'thrid' (rule 'R1')"),
        ]),
        BadRubricCase("exempt-unknown-component.xml", [
            .error(
                "unknown-component", 17, 86,
                "certificate 'rad' has no component 'theroy' (rule 'R1')",
                hint: "did you mean 'theory'?"),
        ]),
        BadRubricCase("exempt-component-unknown-certificate.xml", [
            .error(
                "unknown-certificate", 17, 68,
                "rule 'R1' exempts a component of certificate 'radio', which the program does not define",
                hint: "did you mean 'rad'?"),
        ]),
        BadRubricCase("grade-map-unknown-award.xml", [
            .error(
                "unknown-award", 25, 14,
                "the grade map names award 'secnod', which no competition in rule 'R1' gives",
                hint: "did you mean 'second'?"),
        ]),
        BadRubricCase("grade-map-unknown-level.xml", [
            .error(
                "unknown-level", 21, 14,
                "the grade map names level 'junoir', which no certificate in rule 'R1' has",
                hint: "did you mean 'junior'?"),
        ]),
        BadRubricCase("small-field-unknown-award.xml", [
            .error(
                "unknown-award", 11, 44,
                "the small-field rule grants award 'frist', which competition 'K1' does not have",
                hint: "did you mean 'first'?"),
        ]),
        // MARK: Weights
        BadRubricCase("weights-not-100.xml", [
            .error("weights-sum", 5, 22, "the weights under node 'total' add up to 90, not 100 (exam 60 + prac 30)"),
        ]),
        BadRubricCase("weight-zero.xml", [
            .error("weights-sum", 6, 23, "node 'exam' has weight 0"),
        ]),
        BadRubricCase("weight-missing.xml", [
            .error("weight-missing", 7, 7, "node 'prac' has no weight, but its parent 'total' is a weighted mean"),
        ]),
        BadRubricCase("weight-ignored.xml", [
            .warning(
                "weight-ignored", 5, 20,
                "the weight of node 'A' is ignored: its parent 'total' is scored by sum, which does not use weights"),
        ]),
        // MARK: Scorers and their parameters
        BadRubricCase("unknown-scorer-name.xml", [
            .error("unknown-scorer", 6, 35, "node 'exam' names the scorer 'average', which Assay does not have"),
        ]),
        BadRubricCase("unknown-plugin-scorer.xml", [
            .error(
                "unknown-scorer", 7, 35, "no installed plugin offers the scorer 'xyz' named by node 'prac'",
                hint: "no plugins were found; install the plugin under plugins/ or pass --plugins DIR"),
        ]),
        // These two are loaded with the exposure plugin installed (see `exposurePlugin`).
        BadRubricCase("plugin-scorer-near-miss.xml", plugins: [exposurePlugin], [
            .error(
                "unknown-scorer", 6, 39, "no installed plugin offers the scorer 'exposure-chek' named by node 'B'",
                hint: "did you mean 'exposure-check'?"),
        ]),
        BadRubricCase("plugin-scorer-with-children.xml", plugins: [exposurePlugin], [
            .error(
                "scorer-takes-no-children", 4, 22,
                "node 'total' is scored by plugin:exposure-check, which reads evidence and cannot combine child nodes"),
        ]),
        BadRubricCase("leaf-scorer-with-children.xml", [
            .error(
                "scorer-takes-no-children", 5, 22,
                "node 'total' has child nodes, but value reads evidence and does not combine children"),
        ]),
        BadRubricCase("inner-scorer-without-children.xml", [
            .error(
                "scorer-needs-children", 6, 35,
                "node 'exam' is scored by sum, which combines child nodes, but it has none"),
        ]),
        BadRubricCase("criterion-not-lookup.xml", [
            .error("criterion-not-lookup", 10, 29, "criterion 'accuracy' of rubric 'prac' is scored by value, not lookup"),
        ]),
        BadRubricCase("unknown-parameter.xml", [
            .error(
                "unknown-parameter", 7, 16,
                "judgement-panel does not take a parameter 'max-spred' (node 'A')",
                hint: "did you mean 'max-spread'?"),
        ]),
        BadRubricCase("missing-parameter.xml", [
            .error("missing-parameter", 5, 39, "node 'A' is scored by tolerance, which needs the parameter 'tolerance'"),
        ]),
        BadRubricCase("bad-parameter.xml", [
            .error("bad-parameter", 6, 29, "parameter 'items' of node 'A': '0' is less than 1"),
        ]),
        BadRubricCase("bad-parameter-choice.xml", [
            .error("bad-parameter", 6, 29, "parameter 'combine' of node 'total': 'average' is not one of sum, mean"),
        ]),
        BadRubricCase("duplicate-parameter.xml", [
            .error("duplicate-parameter", 7, 16, "parameter 'judges' is given twice for node 'A'"),
        ]),
        BadRubricCase("conflicting-parameters.xml", [
            .error(
                "conflicting-parameters", 7, 16,
                "node 'A' gives both drop and drop-by-panel; trimmed-mean takes one of them"),
        ]),
        BadRubricCase("round-without-decimals.xml", [
            .error("rounding-incomplete", 5, 55, "node 'total' says round=\"half-up\" but not to how many decimals"),
        ]),
        BadRubricCase("decimals-without-round.xml", [
            .error("rounding-incomplete", 5, 55, "node 'total' gives decimals but no rounding mode"),
        ]),
        // MARK: Numbers
        BadRubricCase("max-mismatch.xml", [
            .warning("max-mismatch", 4, 35, "node 'total' sums children whose maxima add up to 10, but its own max is 12"),
        ]),
        BadRubricCase("product-above-max.xml", [
            .warning(
                "product-above-max", 4, 39, "node 'total' multiplies children whose maxima give up to 25 (A 5 × B 5), above its own max of 20",
                hint: "a candidate could score above the max; set max=\"25\" or lower the children's max or the factor"),
        ]),
        BadRubricCase("scale-mismatch.xml", [
            .warning(
                "scale-mismatch", 4, 61,
                "node 'B1' is a judges' panel scored out of 10, but gives no scale, so each judge marks from 0 to 3 (the default) and any higher mark is refused",
                hint: "if judges mark out of 10, add <param name=\"scale\" value=\"10\"/>; if they mark 0 to 3, add <param name=\"scale\" value=\"3\"/> to say so"),
        ]),
        BadRubricCase("number-too-large-max.xml", [
            .error("number-too-large", 4, 35, "node 'total' has max=\"10000000000000000000\", outside ±9223372036854775807, the range of numbers Assay scores with"),
        ]),
        // A negative number beyond 64 bits used to pass (it became the positive "too large"): at the parameter's value.
        BadRubricCase("number-too-large-parameter.xml", [
            .error(
                "number-too-large", 5, 71, "parameter 'at-least' of node 'A' is -100000000000000000000, outside ±9223372036854775807, the range of numbers Assay scores with",
                hint: "use a smaller unit (thousands, or a percentage) so that every number stays within ±9223372036854775807"),
            .error("number-too-large", 6, 74, "parameter 'mark-min' of node 'B' is -99999999999999999999.5, outside ±9223372036854775807, the range of numbers Assay scores with"),
        ]),
        // A table's points and its numeric keys, of either sign.
        BadRubricCase("number-too-large-table.xml", [
            .error("number-too-large", 5, 65, "parameter 'table' of node 'A' has -10000000000000000000, outside ±9223372036854775807, the range of numbers Assay scores with"),
            .error("number-too-large", 6, 65, "parameter 'table' of node 'B' has 10000000000000000000, outside ±9223372036854775807, the range of numbers Assay scores with"),
        ]),
        BadRubricCase("must-reach-above-max.xml", [
            .error("pass-above-max", 6, 60, "node 'exam' must reach 150, but scores at most 100"),
        ]),
        BadRubricCase("max-not-positive.xml", [
            .error("max-not-positive", 6, 50, "node 'exam' has max=\"0\""),
        ]),
        BadRubricCase("min-not-below-max.xml", [
            .error("min-not-below-max", 6, 50, "node 'exam' has min=\"100\", not below its max of 100"),
        ]),
        BadRubricCase("course-pass-above-max.xml", [
            .error("pass-above-max", 3, 41, "course 'C1' has pass mark 160 but its assessment 'total' scores at most 100"),
        ]),
        BadRubricCase("component-pass-above-max.xml", [
            .error("pass-above-max", 7, 38, "component 'theory' has pass mark 600 above its max of 100"),
        ]),
        BadRubricCase("component-max-not-positive.xml", [
            .error("max-not-positive", 7, 28, "component 'theory' has max=\"-100\""),
        ]),
        BadRubricCase("credits-not-positive.xml", [
            .error("credits-not-positive", 3, 29, "course 'C1' has 0 credits"),
        ]),
        BadRubricCase("max-credits-not-positive.xml", [
            .error("credits-not-positive", 16, 16, "max-credits is -2"),
        ]),
        BadRubricCase("kind-mismatch-measurement.xml", [
            .warning(
                "kind-mismatch", 5, 20,
                "node 'A' is a measurement aspect but is scored by judgement-panel, a judges' panel"),
        ]),
        BadRubricCase("kind-mismatch-judgement.xml", [
            .warning("kind-mismatch", 5, 20, "node 'A' is a judgement aspect but is scored by tolerance, a measurement"),
        ]),
        // MARK: Certificate levels
        BadRubricCase("duplicate-rank.xml", [
            .error("duplicate-rank", 6, 24, "level 'senior' has rank 1, like the level on line 5 of certificate 'rad'"),
        ]),
        BadRubricCase("levels-out-of-order.xml", [
            .warning("levels-out-of-order", 6, 24, "level 'junior' (rank 1) is listed after a higher level"),
        ]),
        // MARK: Award schemes
        BadRubricCase("award-no-basis.xml", [
            .error("award-basis", 10, 14, "award 'second' says neither a place, a quota nor a threshold"),
        ]),
        BadRubricCase("award-two-bases.xml", [
            .error("award-basis", 10, 14, "award 'second' gives 2 ways of awarding it; give exactly one"),
        ]),
        BadRubricCase("quotas-exceed-100.xml", [
            .error("quotas-exceed-100", 8, 5, "the award quotas of competition 'K1' add up to 110 %"),
        ]),
        BadRubricCase("standardisation-missing.xml", [
            .error(
                "standardisation-missing", 10, 25,
                "award 'merit' has a min-standardised threshold but competition 'K1' has no <standardise>"),
        ]),
        BadRubricCase("award-min-score-above-max.xml", [
            .error("award-unreachable", 10, 26, "award 'second' needs a score of 12, above the competition's maximum of 10"),
        ]),
        BadRubricCase("small-field-too-many.xml", [
            .error("small-field-too-many", 11, 7, "the small-field rule for up to 3 entrants grants 4 awards"),
        ]),
        BadRubricCase("duplicate-small-field.xml", [
            .error("duplicate-small-field", 12, 20, "another small-field rule is for fields of up to 3 entrants (first on line 11)"),
        ]),
        // MARK: Recognition rules
        BadRubricCase("rule-requires-granted-course.xml", [
            .error(
                "rule-never-fires", 11, 33,
                "rule 'R1' grants credit for course 'C1' only to candidates who already have a result in it"),
        ]),
        BadRubricCase("rule-min-score-above-max.xml", [
            .error("rule-never-fires", 18, 42, "rule 'R1' needs 120 in course 'C1', which scores at most 100"),
        ]),
        BadRubricCase("rule-component-min-score-above-max.xml", [
            .error("rule-never-fires", 17, 67, "rule 'R1' needs 150 in component 'theory', which scores at most 100"),
        ]),
        BadRubricCase("rule-min-score-without-component.xml", [
            .error("min-score-without-component", 17, 48, "rule 'R1' gives min-score for certificate 'rad' without saying which component"),
        ]),
        BadRubricCase("award-condition-no-awards.xml", [
            .error("rule-never-fires", 17, 32, "rule 'R1' needs an award in competition 'K1', which gives no awards"),
        ]),
        BadRubricCase("recognition-cycle.xml", [
            .warning("recognition-cycle", 18, 11, "recognition rules go round in a circle: C1 → C2 → C1"),
        ]),
        BadRubricCase("transfer-without-grade.xml", [
            .error("transfer-without-grade", 17, 74, "rule 'R1' transfers credit to 'C1' but says no grade"),
        ]),
        BadRubricCase("grade-above-max.xml", [
            .error("grade-above-max", 17, 103, "rule 'R1' grants grade 105 in 'C1', whose maximum is 100"),
        ]),
        BadRubricCase("grade-map-above-max.xml", [
            .error("grade-above-max", 20, 29, "rule 'R1' maps to grade 110 in 'C1', whose maximum is 100"),
        ]),
    ]
}

/// A diagnostic pattern for `knownDefects`: nil fields are not checked (the correct wording is for whoever
/// fixes the defect to choose).
struct BadRubricWant: Sendable, CustomStringConvertible {
    var severity: Diagnostic.Severity? = .error
    var code: String?
    var line: Int?
    var column: Int?
    var message: String?

    func matches(_ d: Diagnostic) -> Bool {
        (severity.map { $0 == d.severity } ?? true) && (code.map { $0 == d.code } ?? true)
            && (line.map { $0 == d.location.line } ?? true) && (column.map { $0 == d.location.column } ?? true)
            && (message.map { $0 == d.message } ?? true)
    }

    var description: String {
        "\(line.map(String.init) ?? "*"):\(column.map(String.init) ?? "*") \(severity?.rawValue ?? "*") [\(code ?? "*")] \(message ?? "*")"
    }
}

/// A fixture whose report is wrong today: what is wrong, and the diagnostics it should produce instead.
struct BadRubricDefect: Sendable, CustomTestStringConvertible {
    let fixture: String
    let defect: String
    let shouldReport: [BadRubricWant]

    var testDescription: String { fixture }
}

extension BadRubricTests {
    static let knownDefects: [BadRubricDefect] = []
}

@Suite("Bad rubrics")
struct BadRubricTests {
    @Test("each bad rubric reports its problem exactly", arguments: cases)
    func reportsExactly(_ c: BadRubricCase) {
        let (path, result) = loadBadFixture(c.fixture, plugins: c.plugins)
        #expect(result.diagnostics.map(BadRubricExpected.Key.init) == c.expected.map(\.key))
        for d in result.diagnostics {
            #expect(d.location.file == path, "\(d.formatted)")
        }
        for (want, got) in zip(c.expected, result.diagnostics) {
            if let hint = want.hint { #expect(got.hint == hint, "\(got.formatted)") }
        }
        // Meaning problems are reported only after the XML and the schema pass.
        let xmlLevel = c.expected.contains { xmlCodes.contains($0.code) }
        #expect(result.meaningChecksSkipped == xmlLevel)
        #expect((result.validProgram != nil) == c.expected.allSatisfy { $0.severity == .warning })
    }

    @Test("known defects: what these fixtures should report", arguments: knownDefects)
    func knownDefect(_ c: BadRubricDefect) {
        let (_, result) = loadBadFixture(c.fixture)
        withKnownIssue(Comment(rawValue: c.defect)) {
            let matches =
                result.diagnostics.count == c.shouldReport.count
                && zip(c.shouldReport, result.diagnostics).allSatisfy { $0.matches($1) }
            #expect(matches, "should report \(c.shouldReport); reports \(result.diagnostics.map(\.formatted))")
        }
    }

    @Test("there are enough fixtures and each has a case")
    func fixturesAndCasesMatch() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: badFixtures.path).filter { $0.hasSuffix(".xml") }
        #expect(files.count >= 25)
        let named = Self.cases.map(\.fixture) + Self.knownDefects.map(\.fixture)
        #expect(Set(named).count == named.count, "a fixture has two cases")
        #expect(Set(files) == Set(named))
    }

    @Test("every code ProgramChecker lists is exercised by a case")
    func everyCheckerCodeIsExercised() {
        #expect(Set(checkerCodes).count == 47)
        let exercised = Set(Self.cases.flatMap { $0.expected.map(\.code) })
        for code in checkerCodes + builderCodes + xmlCodes {
            #expect(exercised.contains(code), "no case exercises \(code)")
        }
    }

    @Test("rubrics/README.md documents exactly the codes ProgramChecker and ProgramBuilder report")
    func readmeListsEveryCode() throws {
        let documented = try readmeMeaningCodes()
        #expect(documented.count > 40)
        #expect(Set(documented) == Set(checkerCodes + builderCodes))
    }

    @Test("a near-miss plugin scorer name gets 'did you mean' only when the plugin is installed")
    func pluginNearMiss() throws {
        let without = loadBadFixture("plugin-scorer-near-miss.xml").result.diagnostics
        let with = loadBadFixture("plugin-scorer-near-miss.xml", plugins: [exposurePlugin]).result.diagnostics
        #expect(without.map(\.code) == ["unknown-scorer"])
        #expect(with.map(\.code) == ["unknown-scorer"])
        #expect(without.first?.hint == "no plugins were found; install the plugin under plugins/ or pass --plugins DIR")
        #expect(with.first?.hint == "did you mean 'exposure-check'?")
        // A name nowhere near: the hint lists what the installed plugins offer.
        let far = loadBadFixture("unknown-plugin-scorer.xml", plugins: [exposurePlugin]).result.diagnostics
        #expect(far.map(\.code) == ["unknown-scorer"])
        #expect(far.first?.hint == "installed plugins offer: exposure-check")
    }

    @Test("the plugin scorer named correctly is accepted")
    func pluginScorerAccepted() throws {
        let text = try String(contentsOf: badFixtures.appendingPathComponent("plugin-scorer-near-miss.xml"), encoding: .utf8)
        let fixed = text.replacingOccurrences(of: "plugin:exposure-chek", with: "plugin:exposure-check")
        #expect(fixed != text)
        try withTemporaryRubric(fixed) { path in
            let result = RubricLoader(plugins: [exposurePlugin]).load(path)
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.formatted))")
        }
    }

    @Test("unclosed tags, duplicate ids and dangling references are reported on the line of the problem")
    func problemLines() throws {
        // The unclosed start tag: <covers …> written without '/'.
        try expectReported("unclosed-tag.xml", code: "xml-unclosed-tag", onLineOf: { $0.contains("<covers ") && !$0.contains("/>") })
        // The second id="C1", not the first.
        try expectReported("duplicate-course-id.xml", code: "duplicate-id", onLineOf: { $0.contains("<course id=\"C1\"") }, occurrence: 2)
        // The reference itself.
        try expectReported("dangling-covers.xml", code: "unknown-requirement", onLineOf: { $0.contains("<covers requirement=\"r2\"") })
        try expectReported("dangling-tie-break-node.xml", code: "unknown-node", onLineOf: { $0.contains("<by node=\"b\"") })
    }

    @Test("a missing file is reported, not thrown")
    func missingFile() {
        let (path, result) = loadBadFixture("no-such-rubric.xml")
        #expect(result.program == nil)
        #expect(result.meaningChecksSkipped)
        #expect(result.diagnostics.map(\.code) == ["file-unreadable"])
        #expect(result.diagnostics.first?.location == SourceLocation(file: path, line: 0))
        #expect(result.diagnostics.first?.message == "a rubric '\(path)' does not exist")
    }
}

extension BadRubricTests {
    /// Valid rubrics that once drew a false diagnostic: an alternative inside <any> is not a requirement.
    /// (Kept inline rather than in Fixtures/bad, which holds rubrics that are wrong.)
    @Suite("Bad rubrics: no false positives")
    struct FalsePositives {
        static let courses = """
            <program xmlns="urn:assay:rubric:1" id="t" version="1" title="T">
              <course id="C1" title="C" credits="4" pass="60"><node id="total" scorer="value" max="100"/></course>
              <course id="C2" title="C" credits="4" pass="60"><node id="total" scorer="value" max="100"/></course>
              <certificate id="rad" title="Rad"><level id="junior" rank="1"/></certificate>
              <recognition>

            """

        @Test("a rule that can fire through another branch of <any> is not 'never fires'")
        func anyWithGrantedCourse() throws {
            let rubric = Self.courses + """
                    <rule id="R1"><when><any><course ref="C1"/><certificate ref="rad"/></any></when><exempt-course ref="C1"/></rule>
                  </recognition>
                </program>
                """
            try withTemporaryRubric(rubric) { path in
                let diagnostics = RubricLoader(plugins: []).load(path).diagnostics
                #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
            }
        }

        @Test("two rules are not a cycle when one can fire on other evidence through <any>")
        func anyBreaksCycle() throws {
            let rubric = Self.courses + """
                    <rule id="R1"><when><any><course ref="C2"/><certificate ref="rad"/></any></when><exempt-course ref="C1"/></rule>
                    <rule id="R2"><when><course ref="C1"/></when><exempt-course ref="C2"/></rule>
                  </recognition>
                </program>
                """
            try withTemporaryRubric(rubric) { path in
                let diagnostics = RubricLoader(plugins: []).load(path).diagnostics
                #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
            }
        }
    }
}

/// Asserts that `fixture` reports exactly one diagnostic, with `code`, on the `occurrence`-th line that
/// `matches`.
private func expectReported(
    _ fixture: String, code: String, onLineOf matches: (Substring) -> Bool, occurrence: Int = 1,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    let text = try String(contentsOf: badFixtures.appendingPathComponent(fixture), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let hits = lines.indices.filter { matches(lines[$0]) }.map { $0 + 1 }
    try #require(hits.count >= occurrence, "\(fixture): the marker line is missing", sourceLocation: sourceLocation)
    let diagnostics = loadBadFixture(fixture).result.diagnostics
    #expect(diagnostics.map(\.code) == [code], "\(fixture)", sourceLocation: sourceLocation)
    #expect(diagnostics.first?.location.line == hits[occurrence - 1], "\(fixture)", sourceLocation: sourceLocation)
}

/// Writes `text` to a temporary .xml file for `body`, then removes it.
private func withTemporaryRubric(_ text: String, _ body: (String) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bad-\(UUID().uuidString).xml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url.path)
}
