import AssayModel
import Foundation
import Testing

@Suite("Plain decimal text")
struct DecimalTextTests {
    @Test("accepts the numbers people write in rubrics and mark sheets")
    func accepts() {
        #expect(Decimal(plainText: "82.5") == Decimal(string: "82.5"))
        #expect(Decimal(plainText: "-0.25") == Decimal(string: "-0.25"))
        #expect(Decimal(plainText: ".5") == Decimal(string: "0.5"))
        #expect(Decimal(plainText: "+3") == 3)
    }

    @Test("refuses trailing junk, exponents and separators instead of reading a different number")
    func refuses() {
        for text in ["1.2.3", "4 marks", "1e3", "1,5", "", "-", ".", "--1", "1-"] {
            #expect(Decimal(plainText: text) == nil, "\(text)")
        }
    }

    @Test("prints without exponent or trailing zeros")
    func plainText() {
        #expect(Decimal(string: "82.50")!.plainText == "82.5")
        #expect(Decimal(100).plainText == "100")
        #expect(Decimal(string: "0.1")!.plainText == "0.1")
    }
}

@Suite("Scorer parameter types")
struct ParameterTypeTests {
    @Test("a table needs key:points pairs with decimal points and distinct keys")
    func table() {
        #expect(ParameterType.table.problem(with: "A:5, B:4, C:2") == nil)
        #expect(ParameterType.table.problem(with: "A:5, B") == "'B' is not a key:value pair")
        #expect(ParameterType.table.problem(with: "A:5, A:4") == "the key 'A' appears twice")
        #expect(ParameterType.table.problem(with: "A:five") == "'five' in 'A:five' is not a decimal number")
    }

    @Test("a panel table takes whole panel sizes and counts")
    func panelTable() {
        #expect(ParameterType.panelTable.problem(with: "5:1, 7:2") == nil)
        #expect(ParameterType.panelTable.problem(with: "5:1.5") == "'5:1.5' is not a pair of whole numbers")
    }

    @Test("integers respect their lower bound; choices their words")
    func integerAndChoice() {
        #expect(ParameterType.integer(min: 1).problem(with: "0") == "'0' is less than 1")
        #expect(ParameterType.integer(min: 1).problem(with: "two") == "'two' is not a whole number of at least 1")
        #expect(ParameterType.choice(["sum", "mean"]).problem(with: "median") == "'median' is not one of sum, mean")
        #expect(ParameterType.decimalList.problem(with: "20, 25 40,x") == "'x' is not a decimal number")
    }

    @Test("every built-in scorer id is unique and every exclusive group names real parameters")
    func catalogue() {
        let ids = BuiltinScorers.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.count == 16)
        for s in BuiltinScorers.all {
            for group in s.exclusive { for name in group { #expect(s.parameter(name) != nil, "\(s.id).\(name)") } }
        }
    }
}

@Suite("Plain decimal text, exactness")
struct DecimalExactnessTests {
    @Test("parses exactly, also past 18 significant digits, and keeps the sign of zero-led fractions")
    func exact() {
        #expect(Decimal(plainText: "0.1")! + Decimal(plainText: "0.2")! == Decimal(plainText: "0.3")!)
        #expect(Decimal(plainText: "-0.05") == Decimal(string: "-0.05"))
        #expect(Decimal(plainText: "  12.50 ") == Decimal(string: "12.5"))
        #expect(Decimal(plainText: "1234567890.1234567890123") == Decimal(string: "1234567890.1234567890123"))
        #expect(Decimal(plainText: "-99999999999999999999.5") == Decimal(string: "-99999999999999999999.5"))
        #expect(Decimal(plainText: "007") == 7)
    }
}
