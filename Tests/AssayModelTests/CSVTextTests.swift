import AssayModel
import Testing

@Suite("CSV fields as Assay writes them (RFC 4180)")
struct CSVTextTests {
    @Test("a field is quoted only when it holds a comma, a quote or a line break; inner quotes are doubled")
    func quoting() {
        #expect(CSVText.field("S2025001") == "S2025001")
        #expect(CSVText.field("") == "")
        #expect(CSVText.field("医学影像 · CT") == "医学影像 · CT")
        #expect(CSVText.field("a, b") == "\"a, b\"")
        #expect(CSVText.field("the \"planes\" aspect") == "\"the \"\"planes\"\" aspect\"")
        #expect(CSVText.field("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVText.field("cr\ronly") == "\"cr\ronly\"")
        // "\r\n" is one Character in Swift: a Character-by-Character test for "\n" or "\r" misses it.
        #expect(CSVText.field("windows\r\nline") == "\"windows\r\nline\"")
    }
}
