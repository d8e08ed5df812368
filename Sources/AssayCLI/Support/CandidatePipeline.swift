import AssayLoader
import AssayModel
import Foundation

/// Reads evidence on a second thread while the caller scores and writes, so parsing and scoring overlap on
/// two cores. Candidates pass in batches through a bounded queue: memory stays bounded by a few batches, and
/// the order is the reading order, so output is the same bytes as a single-threaded run.
final class CandidatePipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[CandidateEvidence]] = []
    /// Batches the caller is done with: freed on the reading thread (when it queues its next batch), which has
    /// time to spare, rather than on the caller's, which scores and writes.
    private var spent: [[CandidateEvidence]] = []
    private var finished = false
    private var diagnostics: [Diagnostic] = []
    private let capacity = 8
    private let batchSize = 256

    /// Starts reading `paths` with `reader` on its own thread. `prepare` (the engine's ``Engine/prepare(_:)``)
    /// sees each batch on that thread before it is queued, so plugin requests for the next batches are
    /// answered while the caller scores this one.
    init(reader: EvidenceReader, paths: [String], prepare: (@Sendable ([CandidateEvidence]) -> Void)? = nil) {
        let thread = Thread { [self] in
            var batch: [CandidateEvidence] = []
            batch.reserveCapacity(batchSize)
            let d = reader.read(paths) { candidate in
                batch.append(candidate)
                if batch.count == self.batchSize {
                    prepare?(batch)
                    self.put(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty {
                prepare?(batch)
                self.put(batch)
            }
            self.condition.lock()
            self.diagnostics = d
            self.finished = true
            self.condition.signal()
            self.condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func put(_ batch: [CandidateEvidence]) {
        condition.lock()
        while batches.count >= capacity { condition.wait() }
        batches.append(batch)
        var done: [[CandidateEvidence]] = []
        swap(&done, &spent)
        condition.signal()
        condition.unlock()
        done.removeAll()
    }

    /// Calls `body` for every candidate in reading order; returns the reader's diagnostics. `beforeBatch`
    /// sees each batch first, on the caller's thread.
    func forEach(beforeBatch: ([CandidateEvidence]) -> Void = { _ in }, _ body: (CandidateEvidence) -> Void) -> [Diagnostic] {
        while true {
            condition.lock()
            while batches.isEmpty && !finished { condition.wait() }
            if batches.isEmpty && finished {
                condition.unlock()
                return diagnostics
            }
            let batch = batches.removeFirst()
            condition.signal()
            condition.unlock()
            beforeBatch(batch)
            for c in batch { body(c) }
            condition.lock()
            if !finished { spent.append(batch) }
            condition.unlock()
        }
    }
}
