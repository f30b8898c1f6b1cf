import CSQLite

/// The arguments of a call to a SQL function written in Swift (`Database.createTextFunction`).
struct SQLFunctionArguments {
    let values: UnsafeMutablePointer<OpaquePointer?>?
    let count: Int32

    func isNull(_ i: Int32) -> Bool { value(i).map { sqlite3_value_type($0) == SQLITE_NULL } ?? true }

    func text(_ i: Int32) -> String? {
        guard let value = value(i), sqlite3_value_type(value) != SQLITE_NULL,
              let p = sqlite3_value_text(value) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_value_bytes(value))), as: UTF8.self)
    }

    func blob(_ i: Int32) -> [UInt8] {
        guard let value = value(i), let p = sqlite3_value_blob(value) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_value_bytes(value))))
    }

    func int(_ i: Int32) -> Int64 { value(i).map { sqlite3_value_int64($0) } ?? 0 }

    private func value(_ i: Int32) -> OpaquePointer? { i < count ? values?[Int(i)] : nil }
}

extension Database {
    /// Makes `name(...)` (`argumentCount` arguments) callable in SQL on this connection: a
    /// deterministic function with no side effects, answering `body`'s text or NULL. The
    /// triggers that call such functions run only where they are registered (the write
    /// connection); elsewhere the statement fails and changes nothing.
    func createTextFunction(_ name: String, argumentCount: Int32,
                            _ body: @escaping (SQLFunctionArguments) -> String?) throws {
        final class Box { let body: (SQLFunctionArguments) -> String?; init(_ body: @escaping (SQLFunctionArguments) -> String?) { self.body = body } }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = sqlite3_create_function_v2(
            handle, name, argumentCount, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, box,
            { context, count, values in
                guard let data = sqlite3_user_data(context) else { return sqlite3_result_null(context) }
                let body = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue().body
                guard var text = body(SQLFunctionArguments(values: values, count: count)) else {
                    return sqlite3_result_null(context)
                }
                text.withUTF8 { utf8 in
                    sqlite3_result_text64(context, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                          sqlite3_uint64(utf8.count), csqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }, nil, nil,
            { data in data.map { Unmanaged<AnyObject>.fromOpaque($0).release() } })
        // On failure SQLite has already called the destructor, which released the box.
        guard rc == SQLITE_OK else { throw error(rc) }
    }
}
