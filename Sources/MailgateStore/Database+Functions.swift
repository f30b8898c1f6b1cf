import CSQLite

extension Database {
    /// Registers a deterministic SQL function of `arity` arguments on this connection. `body`
    /// gets each argument's bytes (the text or blob; nil for NULL) and returns the text result
    /// (nil for NULL). Schema objects (triggers, migrations) may call it, so it is INNOCUOUS,
    /// and it must depend on its arguments alone.
    func defineFunction(_ name: String, arity: Int32, _ body: @escaping ([[UInt8]?]) -> String?) throws {
        final class Box {
            let body: ([[UInt8]?]) -> String?
            init(_ body: @escaping ([[UInt8]?]) -> String?) { self.body = body }
        }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = sqlite3_create_function_v2(
            handle, name, arity, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, box,
            { context, count, values in
                guard let user = sqlite3_user_data(context) else { return sqlite3_result_null(context) }
                let function = Unmanaged<Box>.fromOpaque(user).takeUnretainedValue()
                var arguments: [[UInt8]?] = []
                for i in 0..<Int(count) {
                    guard let value = values?[i], sqlite3_value_type(value) != SQLITE_NULL else {
                        arguments.append(nil)
                        continue
                    }
                    let length = Int(sqlite3_value_bytes(value))
                    arguments.append(sqlite3_value_blob(value).map {
                        Array(UnsafeRawBufferPointer(start: $0, count: length))
                    } ?? [])
                }
                guard var result = function.body(arguments) else { return sqlite3_result_null(context) }
                result.withUTF8 { utf8 in
                    sqlite3_result_text64(context, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                          sqlite3_uint64(utf8.count), csqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }, nil, nil,
            { user in if let user { Unmanaged<AnyObject>.fromOpaque(user).release() } })
        guard rc == SQLITE_OK else { throw error(rc) }
    }
}
