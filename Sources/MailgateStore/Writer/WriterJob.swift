import MailgateCore

/// What a job sees on the writer thread: the write connection and the registered hooks.
struct WriterContext {
    let database: Database
    let inserter: MessageInserter
    let commitHooks: [Store.CommitHook]
}

/// One unit of work for the writer. It runs inside its own SAVEPOINT of a batch transaction;
/// exactly one of `succeed`/`fail` is called, after the COMMIT (or when it cannot run).
///
/// Jobs are handed from the enqueuing thread to the writer through the queue's mutex and are
/// then touched by the writer thread only, hence `@unchecked Sendable`.
class WriterJob: @unchecked Sendable {
    /// The id of the message an append stores (for commit observers and fault injection).
    var messageID: String? { nil }
    func perform(_ context: WriterContext) throws {}
    func succeed() {}
    func fail(_ error: StoreError) {}
}

/// Stores one message and runs the commit hooks (the webhook outbox rows) in its savepoint.
final class AppendJob: WriterJob, @unchecked Sendable {
    let message: NewMessage
    let completion: @Sendable (Result<Void, StoreError>) -> Void
    /// The message's seq once stored (its search text is kept under it after the COMMIT).
    private(set) var seq: Int64?

    init(_ message: NewMessage, completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        self.message = message
        self.completion = completion
    }

    override var messageID: String? { message.id }

    override func perform(_ context: WriterContext) throws {
        seq = try context.inserter.insert(message)
        for hook in context.commitHooks { try hook(context.database, message) }
    }

    override func succeed() { completion(.success(())) }
    override func fail(_ error: StoreError) { completion(.failure(error)) }
}

/// Runs a closure on the write connection and hands its value to the completion after COMMIT.
final class ClosureJob<T: Sendable>: WriterJob, @unchecked Sendable {
    let body: @Sendable (Database) throws -> T
    let completion: @Sendable (Result<T, StoreError>) -> Void
    private var value: T?

    init(_ body: @escaping @Sendable (Database) throws -> T,
         completion: @escaping @Sendable (Result<T, StoreError>) -> Void) {
        self.body = body
        self.completion = completion
    }

    override func perform(_ context: WriterContext) throws { value = try body(context.database) }

    override func succeed() {
        if let value { completion(.success(value)) } else { completion(.failure(.io("job produced no value"))) }
    }

    override func fail(_ error: StoreError) { completion(.failure(error)) }
}
