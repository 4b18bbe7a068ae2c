import Synchronization
import Testing
@testable import AccordNode

@Suite("Serial work: one piece at a time, in the order queued")
struct SerialWorkTests {
    final class Log: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
    }

    @Test("pieces that suspend midway (the first ones longest) never overlap and finish in queue order; a failure ends only its own piece")
    func serial() async throws {
        let work = SerialWork()
        let log = Log()
        let tasks = (0..<8).map { index in
            work.enqueue {
                log.add("start \(index)")
                try await Task.sleep(for: .milliseconds(2 * (8 - index)))
                log.add("end \(index)")
                if index == 3 { throw CancellationError() }
                return index
            }
        }
        for (index, task) in tasks.enumerated() {
            if index == 3 {
                await #expect(throws: CancellationError.self) { try await task.value }
            } else {
                #expect(try await task.value == index)
            }
        }
        #expect(log.lines.withLock { $0 } == (0..<8).flatMap { ["start \($0)", "end \($0)"] })
    }
}
