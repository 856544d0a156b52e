import Dispatch

/// Runs the HTTP endpoint's tasks on a Dispatch queue of their own instead of Swift's cooperative pool.
///
/// The endpoint's initializer waits (on its caller's thread) until the server's task is listening. On the
/// cooperative pool that task needed a free thread, and the pool has one per core: on two cores, two callers
/// blocked elsewhere (tests waiting on their engines, here) left the server unstarted until the 30-s timeout.
/// With this executor as the task's preference, the server and its child tasks start whatever the pool is doing.
final class QueueTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
