import CLinux

/// Process-wide allocator settings (glibc malloc), set once at start-up.
public enum MemoryPolicy {
    /// Allocations of `bytes` and more get their own mappings and go back to the kernel when
    /// freed. glibc otherwise raises its mmap threshold after the first large free (up to
    /// 32 MiB) and serves later large buffers from arenas that are not trimmed, which keeps a
    /// large message's memory resident after it is stored.
    public static func mapLargeAllocations(atLeast bytes: Int32 = 1 << 20) {
        _ = mallopt(M_MMAP_THRESHOLD, bytes)
    }
}
