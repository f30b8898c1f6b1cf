extension Store {
    /// How many messages one delete job removes: small enough that appends queued behind it
    /// wait only a few milliseconds.
    static let deleteBatchSize = 500

    /// Deletes one message (with its raw bytes, recipients, attachments, FTS entries and the
    /// rows other modules reference with ON DELETE CASCADE); true when it existed.
    public func deleteMessage(id: String, completion: @escaping @Sendable (Result<Bool, StoreError>) -> Void) {
        let metrics = metricsRecorder
        write({ database in
            let statement = try database.cached("DELETE FROM messages WHERE id = ?")
            try statement.bind(id, at: 1)
            try statement.step()
            let deleted = database.changes > 0
            if deleted { metrics.deleted(1) }
            return deleted
        }, completion: completion)
    }

    /// Deletes every message matching `query`'s filters (all of them when it has none; its
    /// limit and cursor are ignored) in jobs of `deleteBatchSize`, so ingest interleaves.
    /// Not atomic: a failure leaves the batches already committed deleted.
    public func deleteMessages(matching query: MessageQuery,
                               completion: @escaping @Sendable (Result<Int, StoreError>) -> Void) {
        var filters = query
        filters.cursor = nil
        do {
            _ = try MessageQueryPlan(filters, select: .seqs, limit: Self.deleteBatchSize)
        } catch {
            completion(.failure(error))
            return
        }
        deleteBatches(filters, deletedSoFar: 0, completion: completion)
    }

    private func deleteBatches(_ query: MessageQuery, deletedSoFar: Int,
                               completion: @escaping @Sendable (Result<Int, StoreError>) -> Void) {
        let next: @Sendable (Result<Int, StoreError>) -> Void = { [weak self] result in
            switch result {
            case .failure(let error): completion(.failure(error))
            case .success(let count) where count < Self.deleteBatchSize || self == nil:
                completion(.success(deletedSoFar + count))
            case .success(let count):
                self?.deleteBatches(query, deletedSoFar: deletedSoFar + count, completion: completion)
            }
        }
        let metrics = metricsRecorder
        guard query.usesSearchIndex else {
            write({ database in
                let plan = try MessageQueryPlan(query, select: .seqs, limit: Self.deleteBatchSize, database: database)
                var seqs: [Int64] = []
                try plan.run(on: database) { seqs.append($0.int64(0)) }
                try Self.deleteMessages(seqs: seqs, in: database)
                metrics.deleted(seqs.count)
                return seqs.count
            }, completion: next)
            return
        }
        // The search filters read the search file: the matches are taken there, once it has
        // applied every change so far, and deleted by seq (a message deleted meanwhile is
        // simply not found again).
        searchIndex.perform { [weak self] applier in
            guard let self, let applier else { return next(.failure(.io("the search index is not available"))) }
            let seqs: [Int64]
            do {
                let database = applier.store.database
                let plan = try MessageQueryPlan(query, select: .seqs, limit: Self.deleteBatchSize, database: database)
                var found: [Int64] = []
                try plan.run(on: database) { found.append($0.int64(0)) }
                seqs = found
            } catch {
                return next(.failure(StoreError(error)))
            }
            write({ database in
                try Self.deleteMessages(seqs: seqs, in: database)
                metrics.deleted(seqs.count)
                // A batch short of matches ends the deletion even if some were gone already.
                return seqs.count
            }, completion: next)
        }
    }

    /// Calls `completion` once every message committed so far is indexed for search; call
    /// before a search so that it sees every acknowledged message (SearchIndex).
    public func flushSearchIndex(completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        searchIndex.flush(completion: completion)
    }

    static func deleteMessages(seqs: [Int64], in database: Database) throws {
        let statement = try database.cached("DELETE FROM messages WHERE seq = ?")
        for seq in seqs {
            statement.reset()
            try statement.bind(seq, at: 1)
            try statement.step()
        }
    }
}
