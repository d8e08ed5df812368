/// The Unicode direction controls that make text show in another order than it is stored (a "Trojan Source"
/// id: `E1` followed by U+202E looks like another candidate's id on a screen, and reads as itself in a file):
/// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069. Ids and values refuse them as they refuse control characters.
enum DirectionControl {
    /// The direction control whose UTF-8 bytes are `b0 b1 b2`, or nil.
    static func scalar(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> UInt32? {
        guard b0 == 0xE2 else { return nil }
        switch (b1, b2) {
        case (0x80, 0x8E), (0x80, 0x8F), (0x80, 0xAA...0xAE), (0x81, 0xA6...0xA9):
            return 0x2000 + UInt32(b1 - 0x80) * 0x40 + UInt32(b2 - 0x80)
        default:
            return nil
        }
    }
}
