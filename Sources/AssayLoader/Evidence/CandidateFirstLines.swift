import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The candidates seen so far in one evidence file, by a 64-bit hash of the id, with the line each was first
/// seen on: to report a candidate that appears twice, naming the first line. Its memory does not grow with
/// the file.
///
/// - The most recent candidates are in an open-addressing table of (hash, line) entries, 16 bytes a bucket,
///   that grows from 1,024 buckets to at most ``maxBuckets``.
/// - When that table is three-quarters full, its entries are sorted by hash and appended as one *run* to an
///   unlinked temporary file (12 bytes an entry on disk, never mapped, so not resident), their hashes are
///   added to a Bloom filter of ``filterBits`` bits, and the table starts again empty.
/// - A hash not in the table is looked for in the runs only when the filter says it may be there: with the
///   defaults, for about one new candidate in 12,000 of a 200,000-candidate file, one in 220 of a
///   1,000,000-candidate one. Each run keeps the key of every 256th entry in memory, so a look costs one
///   `pread` of 3 KB a run.
///
/// Memory: 1 MB of table and 2 MB of filter however long the file, plus 8 bytes of fences for every 256
/// candidates (30 KB for a million). (With `TMPDIR` on a tmpfs the runs are in RAM after all, but not in the
/// process's.) If no temporary file can be made (`TMPDIR` not writable), the table keeps growing in memory
/// instead, 16 bytes a bucket: the answers are the same. A run that cannot be read back is reported
/// (``lookupFailure``), never taken for "not seen" in silence.
///
/// Two ids with the same 64-bit FNV-1a hash would be taken for one (odds about 1 in 10⁹ for 200,000 ids).
struct CandidateFirstLines {
    /// The table's largest size, in buckets (16 bytes each): 65,536 → 1 MB, spilled every 49,152 candidates.
    static let defaultMaxBuckets = 1 << 16
    /// The Bloom filter's size in bits: 2²⁴ → 2 MB.
    static let defaultFilterBits = 1 << 24
    /// Probes per hash in the filter.
    private static let probes = 4

    private struct Entry {
        /// 0 marks an empty bucket (a hash of 0 is stored as 1).
        var key: UInt64
        var line: UInt32
    }

    let maxBuckets: Int
    let filterBits: Int
    /// Where the runs' file is made: `TMPDIR`, or /tmp.
    let temporaryDirectory: String
    private var table: UnsafeMutablePointer<Entry>
    private var capacity = 1 << 10
    private var shift: UInt64 = 54
    private var count = 0
    /// Allocated at the first spill (a file of fewer candidates never needs it).
    private var filter: UnsafeMutablePointer<UInt64>?
    /// The temporary file of runs (-1 until the first spill; also -1 if none could be made).
    private var spillFile: Int32 = -1
    private var spillFailed = false
    /// Each run's first entry and entry count in the file, and its fences: the key of every 256th entry
    /// (8 bytes in memory for 256 candidates on disk).
    private(set) var runs: [(start: Int, count: Int, fences: [UInt64])] = []
    static let fenceStep = 256
    /// How many times the runs on disk were searched (the filter said "maybe").
    private(set) var diskSearches = 0
    /// Set when a run could not be read back: from then on a repeat may go unnoticed, and the reader says so.
    private(set) var lookupFailure: String?

    init(maxBuckets: Int = Self.defaultMaxBuckets, filterBits: Int = Self.defaultFilterBits, temporaryDirectory: String? = nil) {
        precondition(maxBuckets >= 1 << 10 && maxBuckets & (maxBuckets - 1) == 0, "maxBuckets: a power of two ≥ 1,024")
        precondition(filterBits >= 64 && filterBits <= 1 << 46 && filterBits & (filterBits - 1) == 0, "filterBits: a power of two from 64 to 2⁴⁶")
        self.maxBuckets = maxBuckets
        self.filterBits = filterBits
        self.temporaryDirectory =
            temporaryDirectory ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        table = .allocate(capacity: capacity)
        table.initialize(repeating: Entry(key: 0, line: 0), count: capacity)
    }

    /// Frees the table and filter and closes (so deletes) the temporary file.
    func deallocate() {
        table.deallocate()
        filter?.deallocate()
        if spillFile >= 0 { close(spillFile) }
    }

    /// The line first recorded for `hash`; or, the first time, records `line` for it and returns nil.
    mutating func firstLine(_ hash: UInt64, else line: Int) -> Int? {
        let key = hash == 0 ? 1 : hash
        var i = bucket(key)
        while table[i].key != 0 {
            if table[i].key == key { return Int(table[i].line) }
            i = (i + 1) & (capacity - 1)
        }
        if !runs.isEmpty, mayHaveSpilled(key) {
            diskSearches += 1
            if let found = spilledLine(key) { return found }
        }
        table[i] = Entry(key: key, line: UInt32(clamping: line))
        count += 1
        if count * 4 > capacity * 3 {
            if capacity < maxBuckets || !spill() { grow() }
        }
        return nil
    }

    @inline(__always)
    private func bucket(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func grow() {
        let (old, oldCapacity) = (table, capacity)
        capacity *= 2
        shift -= 1
        table = .allocate(capacity: capacity)
        table.initialize(repeating: Entry(key: 0, line: 0), count: capacity)
        for j in 0..<oldCapacity where old[j].key != 0 {
            var i = bucket(old[j].key)
            while table[i].key != 0 { i = (i + 1) & (capacity - 1) }
            table[i] = old[j]
        }
        old.deallocate()
    }

    // MARK: - Spilling to disk

    /// Writes the table's entries, sorted, as a run; empties the table. False if there is no file to write to.
    private mutating func spill() -> Bool {
        guard !spillFailed else { return false }
        if spillFile < 0 {
            guard let fd = Self.makeTemporaryFile(in: temporaryDirectory) else {
                spillFailed = true
                return false
            }
            spillFile = fd
            filter = .allocate(capacity: filterBits / 64)
            filter!.initialize(repeating: 0, count: filterBits / 64)
        }
        // Move the entries to the front (in place: an entry only moves down) and sort them there.
        var n = 0
        for j in 0..<capacity where table[j].key != 0 {
            table[n] = table[j]
            n += 1
        }
        Self.heapSort(table, count: n)
        // 12 bytes an entry, little-endian, written a block at a time from a small buffer.
        let start = runs.last.map { $0.start + $0.count } ?? 0
        var block = [UInt8](repeating: 0, count: 12 * 1024)
        var written = 0
        while written < n {
            let m = min(1024, n - written)
            let ok = block.withUnsafeMutableBytes { b -> Bool in
                for e in 0..<m {
                    b.storeBytes(of: table[written + e].key.littleEndian, toByteOffset: 12 * e, as: UInt64.self)
                    b.storeBytes(of: table[written + e].line.littleEndian, toByteOffset: 12 * e + 8, as: UInt32.self)
                }
                return Self.writeAll(spillFile, b.baseAddress!, 12 * m, at: 12 * (start + written))
            }
            guard ok else {
                // A full disk: keep these entries in memory from now on, as without a file. The runs already
                // written stay on disk and are still looked in.
                spillFailed = true
                rebuild(count: n)
                return false
            }
            written += m
        }
        for e in 0..<n { addToFilter(table[e].key) }
        runs.append((start, n, stride(from: 0, to: n, by: Self.fenceStep).map { table[$0].key }))
        table.update(repeating: Entry(key: 0, line: 0), count: capacity)
        count = 0
        return true
    }

    /// After a failed spill: puts the `n` entries at the front of the table back into their buckets.
    private mutating func rebuild(count n: Int) {
        let moved = UnsafeMutablePointer<Entry>.allocate(capacity: n)
        moved.initialize(from: table, count: n)
        table.update(repeating: Entry(key: 0, line: 0), count: capacity)
        for e in 0..<n {
            var i = bucket(moved[e].key)
            while table[i].key != 0 { i = (i + 1) & (capacity - 1) }
            table[i] = moved[e]
        }
        moved.deallocate()
    }

    private static func makeTemporaryFile(in directory: String) -> Int32? {
        var template = Array((directory + "/assay-candidates-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        // Deleted at once: the file lives as long as the descriptor, and is gone if the process is killed.
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        // (mkostemp would set this atomically, but Swift's Glibc module leaves it out. A plugin started on
        // another thread in between would inherit only this descriptor of an unlinked file of id hashes.)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// Calls `step(done)` — a `pread` or `pwrite` of what is left after `done` bytes — until `count` bytes are
    /// moved; false on an error or the end of the file.
    private static func whole(_ count: Int, _ step: (Int) -> Int) -> Bool {
        var done = 0
        while done < count {
            let n = step(done)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, at offset: Int) -> Bool {
        whole(count) { done in pwrite(fd, bytes + done, count - done, off_t(offset + done)) }
    }

    // MARK: - Looking in the runs

    /// The filter is *blocked*: a key's four bits are in one 64-bit word, so a look costs one cache miss, not
    /// four. The word comes from the low bits of a second mix of the key, the four bit positions from its top
    /// 24 bits.
    @inline(__always)
    private func filterWord(_ key: UInt64) -> (index: Int, mask: UInt64) {
        var x = key ^ (key >> 31)
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        let index = Int(truncatingIfNeeded: x & UInt64(filterBits / 64 - 1))
        var mask: UInt64 = 0
        for p in 0..<Self.probes { mask |= 1 << ((x >> UInt64(40 + 6 * p)) & 63) }
        return (index, mask)
    }

    private func addToFilter(_ key: UInt64) {
        guard let filter else { return }
        let (index, mask) = filterWord(key)
        filter[index] |= mask
    }

    private func mayHaveSpilled(_ key: UInt64) -> Bool {
        guard let filter else { return false }
        let (index, mask) = filterWord(key)
        return filter[index] & mask == mask
    }

    /// The line stored for `key` in a run, if any run has it: the run's fences (in memory) say which block of
    /// 256 entries could hold it; that block is read with one `pread` and searched.
    private mutating func spilledLine(_ key: UInt64) -> Int? {
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 12 * Self.fenceStep, alignment: 8)
        defer { block.deallocate() }
        for run in runs {
            // The last fence ≤ key.
            var low = 0
            var high = run.fences.count - 1
            guard high >= 0, run.fences[0] <= key else { continue }
            while low < high {
                let mid = (low + high + 1) / 2
                if run.fences[mid] <= key { low = mid } else { high = mid - 1 }
            }
            let first = low * Self.fenceStep
            let n = min(Self.fenceStep, run.count - first)
            guard Self.readAll(spillFile, block.baseAddress!, 12 * n, at: 12 * (run.start + first)) else {
                if lookupFailure == nil { lookupFailure = "reading its temporary file failed (\(String(cString: strerror(errno))))" }
                continue
            }
            var lo = 0
            var hi = n - 1
            while lo <= hi {
                let mid = (lo + hi) / 2
                let k = UInt64(littleEndian: block.loadUnaligned(fromByteOffset: 12 * mid, as: UInt64.self))
                if k == key { return Int(UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 12 * mid + 8, as: UInt32.self))) }
                if k < key { lo = mid + 1 } else { hi = mid - 1 }
            }
        }
        return nil
    }

    private static func readAll(_ fd: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int, at offset: Int) -> Bool {
        whole(count) { done in pread(fd, bytes + done, count - done, off_t(offset + done)) }
    }

    // MARK: - Sorting in place

    /// Sorts `a[0..<n]` by key without allocating (the table is the only memory there is).
    private static func heapSort(_ a: UnsafeMutablePointer<Entry>, count n: Int) {
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end, a[child].key < a[child + 1].key { child += 1 }
                guard a[root].key < a[child].key else { return }
                a.swapAt(root, child)
                root = child
            }
        }
        guard n > 1 else { return }
        for start in stride(from: n / 2 - 1, through: 0, by: -1) { siftDown(start, n) }
        for end in stride(from: n - 1, to: 0, by: -1) {
            a.swapAt(0, end)
            siftDown(0, end)
        }
    }
}

extension UnsafeMutablePointer {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
