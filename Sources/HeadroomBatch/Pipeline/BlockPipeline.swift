import Foundation

/// Runs read → analyze → merge over a list of sources.
///
/// The calling thread reads blocks; `jobs` worker threads analyze them (each with its own
/// `BlockAnalyzer`); one merge thread hands them to `merge` strictly in input order. A fixed
/// pool of blocks bounds memory: the reader waits for a free block when all are in flight.
/// With `jobs == 1` everything runs on the calling thread, one block at a time.
final class BlockPipeline {
    private let jobs: Int
    private let blockSize: Int
    private let hashing: Bool
    private let kind: ContentKind?
    private let makeAnalyzer: () -> BlockAnalyzer

    /// `hashing`: whether sources are hashed (SHA-256) as they are read, for the archive.
    /// `kind`: the kind of every source (`--kind`); nil to detect each one's from its first block.
    init(jobs: Int, blockSize: Int = Block.capacity, hashing: Bool = true, kind: ContentKind? = nil,
         makeAnalyzer: @escaping () -> BlockAnalyzer) {
        self.jobs = max(1, jobs)
        self.blockSize = max(blockSize, Block.minimumCapacity)
        self.hashing = hashing
        self.kind = kind
        self.makeAnalyzer = makeAnalyzer
    }

    /// Processes `sources` in order. A source that cannot be opened arrives at `merge` as a
    /// single empty last block carrying the error.
    func run(_ sources: [InputSource], merge: @escaping (Block) -> Void) {
        if jobs == 1 {
            let analyzer = makeAnalyzer()
            let block = Block(capacity: blockSize)
            read(sources, take: { block.reset(); return block }) { block in
                analyzer.analyze(block)
                merge(block)
            }
            return
        }
        let pool = BoundedQueue<Block>()
        for _ in 0..<(2 * jobs + 2) { pool.push(Block(capacity: blockSize)) }
        let work = BoundedQueue<Block?>()
        let done = OrderedHandoff()
        var workers: [Thread] = []
        for _ in 0..<jobs {
            let analyzer = makeAnalyzer()
            let thread = Thread {
                while let block = work.pop() {
                    analyzer.analyze(block)
                    done.put(block)
                }
            }
            thread.stackSize = 1 << 20
            workers.append(thread)
        }
        let merged = DispatchSemaphore(value: 0)
        let merger = Thread {
            while let block = done.next() {
                merge(block)
                block.reset()
                pool.push(block)
            }
            merged.signal()
        }
        workers.forEach { $0.start() }
        merger.start()
        var sequence = 0
        read(sources, take: { pool.pop() }) { block in
            block.sequence = sequence
            sequence += 1
            work.push(block)
        }
        done.expect(total: sequence)
        for _ in 0..<jobs { work.push(nil) }
        merged.wait()
    }

    /// Reads every source into blocks taken from `take`, handing each to `emit`.
    private func read(_ sources: [InputSource], take: () -> Block, emit: (Block) -> Void) {
        for (index, source) in sources.enumerated() {
            let reader: SourceReader
            do {
                reader = try SourceReader(source, blockCapacity: blockSize, hashing: hashing)
            } catch {
                let block = take()
                block.source = index
                block.ordinal = 0
                block.isLast = true
                block.readError = (error as? HeadroomError) ?? HeadroomError(.input, source.description, "\(error)")
                emit(block)
                continue
            }
            var kind = self.kind ?? .log
            repeat {
                let block = take()
                block.source = index
                block.path = source.pathHint
                reader.fill(block)
                if block.ordinal == 0 {
                    // Detected here, before the workers, so that every block knows its kind.
                    let detection = KindDetector.detect(block.bytes, path: block.path)
                    block.detection = detection
                    kind = self.kind ?? detection.kind
                }
                block.kind = kind
                emit(block)
            } while !reader.finished
        }
    }
}

/// A blocking FIFO queue between threads.
final class BoundedQueue<Element> {
    private var items: [Element] = []
    private var head = 0
    private let condition = NSCondition()

    func push(_ item: Element) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    func pop() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count { condition.wait() }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}

/// Collects analyzed blocks from workers and releases them in sequence order.
final class OrderedHandoff {
    private var ready: [Int: Block] = [:]
    private var nextSequence = 0
    private var total = Int.max
    private let condition = NSCondition()

    func put(_ block: Block) {
        condition.lock()
        ready[block.sequence] = block
        condition.broadcast()
        condition.unlock()
    }

    /// Called once the reader knows how many blocks there are.
    func expect(total: Int) {
        condition.lock()
        self.total = total
        condition.broadcast()
        condition.unlock()
    }

    /// The next block in order, or nil after the last one.
    func next() -> Block? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if nextSequence >= total { return nil }
            if let block = ready.removeValue(forKey: nextSequence) {
                nextSequence += 1
                return block
            }
            condition.wait()
        }
    }
}
