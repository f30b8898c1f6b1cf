/// The protocol side of a connection. Every call comes on the connection's loop thread.
public protocol ConnectionHandler: AnyObject {
    /// The connection is registered and readable; write a greeting here if the protocol has one.
    func connectionDidOpen(_ connection: Connection)
    /// Bytes arrived. `bytes` points into the loop's shared read buffer and is valid only during
    /// the call: keep any unconsumed tail yourself.
    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer)
    /// Output that the kernel did not take at once has now all been written (for streaming
    /// large responses piece by piece). Not called when a write completes immediately.
    func connectionDidDrain(_ connection: Connection)
    /// The connection is gone (peer closed, error, `close()` finished, `abort()`, shutdown).
    /// Called once, never from inside the handler's own write/close/abort call. Afterwards
    /// the connection drops its reference to the handler.
    func connectionDidClose(_ connection: Connection)
    /// The peer sent FIN: no more input, but it may still read (a half-close). Return true to
    /// keep the connection open for replies still owed; the handler then calls `close()` when
    /// done. The default, false, closes once buffered output is flushed.
    func connectionInputDidEnd(_ connection: Connection) -> Bool
}

extension ConnectionHandler {
    public func connectionInputDidEnd(_ connection: Connection) -> Bool { false }
}
