import AssayModel
import Foundation
import Testing

@testable import AssayLoader

/// Fixtures/numbers beside this file.
private let numberFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/numbers")

/// What `assay validate` checks about numbers a rubric cannot score as meant (issue 13, items 3 and 4):
/// a product that can pass its max (and 64 bits), a number beyond 64 bits, a judges' panel whose max and
/// scale look inconsistent. Each diagnostic is asserted whole: severity, code, line, column, message, hint.
@Suite("validate: numbers and judges' scales")
struct NumberWarningTests {
    func load(_ name: String) -> (path: String, diagnostics: [Diagnostic], valid: Bool) {
        let path = numberFixtures.appendingPathComponent(name).path
        let result = RubricLoader(plugins: []).load(path)
        return (path, result.diagnostics, result.validProgram != nil)
    }

    func shown(_ d: Diagnostic) -> String {
        "\(d.severity.rawValue) \(d.code) \(d.location.line):\(d.location.column.map(String.init) ?? "-") \(d.message) | \(d.hint)"
    }

    @Test("a product whose children's maxima multiply above its max is a warning at its max attribute")
    func productAboveMax() {
        let r = load("product-above-max.xml")
        #expect(
            r.diagnostics.map(shown) == [
                "warning product-above-max 5:40 node 'dive' multiplies children whose maxima give up to 20 (dd 4 × judges 10 × factor 0.5), above its own max of 10 | a candidate could score above the max; set max=\"20\" or lower the children's max or the factor"
            ])
        #expect(r.diagnostics.allSatisfy { $0.location.file == r.path })
        #expect(r.valid)
    }

    @Test("max or min beyond ±9223372036854775807 is an error: Assay cannot score with it")
    func numberTooLarge() {
        let r = load("number-too-large.xml")
        let hint = "use a smaller unit (thousands, or a percentage) so that scores stay below 9223372036854775807"
        #expect(
            r.diagnostics.map(shown) == [
                "error number-too-large 5:47 node 'a' has max=\"100000000000000000000\", outside ±9223372036854775807, the range of numbers Assay scores with | \(hint)",
                "error number-too-large 6:73 node 'b' has min=\"-9223372036854775808\", outside ±9223372036854775807, the range of numbers Assay scores with | \(hint)",
            ])
        #expect(!r.valid)
    }

    @Test("scale-from 0 is an error: the value is divided by it (a recorded 0 used to trap: division by zero)")
    func scaleFromZero() {
        let r = load("scale-from-zero.xml")
        #expect(
            r.diagnostics.map(shown) == [
                "error bad-parameter 5:32 parameter 'scale-from' of node 'total' is 0; values are rescaled from 0…scale-from, so it must be greater than 0 | give the top of the scale the value is recorded on (e.g. 150)"
            ])
        #expect(!r.valid)
    }

    @Test("a certificate component's max, or the sum of its components, beyond 64 bits is an error")
    func componentTooLarge() {
        let r = load("component-too-large.xml")
        let hint = "use a smaller unit (thousands, or a percentage) so that scores stay below 9223372036854775807"
        #expect(
            r.diagnostics.map(shown) == [
                "error number-too-large 5:43 component 'theory' has max=\"100000000000000000000\", outside ±9223372036854775807, the range of numbers Assay scores with | \(hint)",
                "error number-too-large 7:3 the components of certificate 'sum' add up to 18000000000000000000, outside ±9223372036854775807, the range of numbers Assay scores with | \(hint)",
            ])
        #expect(!r.valid)
    }

    @Test("a judges' panel out of 10 with no scale is a warning naming scale; a given scale, or max ≤ 3, is not")
    func scaleMismatch() {
        let r = load("scale-mismatch.xml")
        #expect(
            r.diagnostics.map(shown) == [
                "warning scale-mismatch 5:62 node 'A' is a judges' panel scored out of 10, but gives no scale, so each judge marks from 0 to 3 (the default) and any higher mark is refused | if judges mark out of 10, add <param name=\"scale\" value=\"10\"/>; if they mark 0 to 3, add <param name=\"scale\" value=\"3\"/> to say so"
            ])
        #expect(r.valid)
    }

    @Test("the bundled rubrics state their judges' scale, so they validate without this warning")
    func bundledRubrics() {
        let root = numberFixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for name in ["rubrics/medical-imaging-technology.xml", "rubrics/medical-engineering.xml"] {
            let result = RubricLoader(plugins: []).load(root.appendingPathComponent(name).path)
            #expect(result.diagnostics.map(\.formatted) == [], "\(name)")
        }
    }
}
