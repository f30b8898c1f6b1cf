import MailgateCore

/// Runs numbered migrations, each in its own transaction.
///
/// `PRAGMA user_version` holds the highest version applied, which is what refuses a file from a
/// newer build. Because modules own interleaved ranges (store 1...99, webhooks 100...199), a
/// single high-water mark could skip a store migration 2 added after webhooks 100 ran; so the
/// applied versions are also listed in `schema_migrations`, and every listed-as-missing
/// migration runs, in version order.
struct Migrator {
    let database: Database

    /// `before` runs ahead of each migration that is applied, outside its transaction (where
    /// ATTACH works).
    func migrate(_ migrations: [Migration], before: (Migration) throws -> Void = { _ in }) throws {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw StoreError.io("two migrations share version \(a.version): \(a.name), \(b.name)")
        }
        let supported = sorted.last?.version ?? 0
        let current = Int(try database.scalarInt("PRAGMA user_version") ?? 0)
        if current > supported { throw StoreError.newerSchema(found: current, supported: supported) }

        try database.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
            """)
        var applied = Set<Int>()
        let statement = try database.prepare("SELECT version FROM schema_migrations")
        while try statement.step() { applied.insert(statement.int(0)) }

        for migration in sorted where !applied.contains(migration.version) {
            try before(migration)
            try apply(migration, userVersion: max(current, migration.version))
        }
    }

    private func apply(_ migration: Migration, userVersion: Int) throws {
        try database.execute("BEGIN IMMEDIATE")
        do {
            try database.execute(migration.sql)
            let record = try database.prepare(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)")
            try record.run([.int(Int64(migration.version)), .text(migration.name),
                            .int(Clock.nowMilliseconds())])
            let recorded = Int(try database.scalarInt("SELECT max(version) FROM schema_migrations") ?? 0)
            try database.execute("PRAGMA user_version = \(max(userVersion, recorded))")
            try database.execute("COMMIT")
        } catch {
            if database.isInTransaction { try? database.execute("ROLLBACK") }
            throw error
        }
    }
}
