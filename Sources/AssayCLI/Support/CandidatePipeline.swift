import AssayLoader
import AssayModel
import Foundation

/// Reads evidence on a second thread while the caller scores and writes, so parsing and scoring overlap on
/// two cores. Candidates pass in batches through a bounded queue: memory stays bounded by a few batches, and
/// the order is the reading order, so output is the same bytes as a single-threaded run.
final class CandidatePipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[CandidateEvidence]] = []
    private var finished = false
    private var diagnostics: [Diagnostic] = []
    private let capacity = 8
    private let batchSize = 256

    /// Starts reading `paths` with `reader` on its own thread.
    init(reader: EvidenceReader, paths: [String]) {
        let thread = Thread { [self] in
            var batch: [CandidateEvidence] = []
            batch.reserveCapacity(batchSize)
            let d = reader.read(paths) { candidate in
                batch.append(candidate)
                if batch.count == self.batchSize {
                    self.put(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { self.put(batch) }
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
        condition.signal()
        condition.unlock()
    }

    /// Calls `body` for every candidate in reading order; returns the reader's diagnostics. `beforeBatch`
    /// sees each batch first (the engine's ``Engine/prepare(_:)``, so plugin requests go out together).
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
        }
    }
}
