// A VFS for the store's write and checkpoint connections that gathers contiguous writes into
// one pwrite. SQLite writes each WAL frame as two pwrites (its 24-byte header, then the 4 KiB
// page): ~30 system calls per W2 commit of ~16 frames, each paying the file system's per-call
// work (inode lock, timestamps, page-cache lookups); a checkpoint writes the database file a
// page at a time, in page order, and the pages a burst of mail added are consecutive. So the
// WAL and the main database file are buffered (up to 124 KiB: 30 frames) and written at once
// when SQLite next does anything else with the file: xSync (a commit's or a checkpoint's
// fsync), a read, xFileSize, xTruncate, a file control, an unlock, close, or a write elsewhere
// in the file. Every other file, and every other call, goes to the "unix" VFS unchanged.
//
// Durability is SQLite's: a commit is acknowledged after xSync, which writes the buffer before
// it syncs. What other connections read is published only after such a sync: a commit's
// frames when the wal-index header is written (after the WAL sync in sqlite3WalFrames when
// synchronous=FULL), a checkpoint's pages when nBackfill moves (after the database sync). So
// no reader looks for bytes still in a buffer, provided every commit syncs: connections using
// this VFS must run with synchronous=FULL.
#include <sqlite3.h>
#include <string.h>

#define CSQLITE_COALESCING_VFS "mailgate-wal-coalescing"
// The unix VFS writes at most 128 KiB - 1 bytes per call: seekAndWriteFd masks the length with
// 0x1ffff (a 1 MiB write became a 0-byte one, reported as SQLITE_FULL).
#define CSQLITE_COALESCING_CAPACITY (124 << 10)

typedef struct csqlite_coalescing_file {
    sqlite3_file base;
    sqlite3_file *real;        // the unix VFS's file, allocated right after this struct
    unsigned char *buffer;     // WAL and main database files: bytes not yet written, from `offset`
    int length, capacity;
    sqlite3_int64 offset;
} csqlite_coalescing_file;

static sqlite3_vfs *csqlite_coalescing_real(sqlite3_vfs *vfs) { return (sqlite3_vfs *)vfs->pAppData; }
#define CSQLITE_REAL(p) (((csqlite_coalescing_file *)(p))->real)

static int csqlite_coalescing_flush(csqlite_coalescing_file *f) {
    if (f->length == 0) return SQLITE_OK;
    int rc = f->real->pMethods->xWrite(f->real, f->buffer, f->length, f->offset);
    f->length = 0;
    return rc;
}

static int csqlite_coalescing_close(sqlite3_file *p) {
    csqlite_coalescing_file *f = (csqlite_coalescing_file *)p;
    int rc = csqlite_coalescing_flush(f);
    int closed = f->real->pMethods->xClose(f->real);
    sqlite3_free(f->buffer);
    f->buffer = 0;
    return rc != SQLITE_OK ? rc : closed;
}

static int csqlite_coalescing_read(sqlite3_file *p, void *out, int amount, sqlite3_int64 offset) {
    int rc = csqlite_coalescing_flush((csqlite_coalescing_file *)p);
    return rc != SQLITE_OK ? rc : CSQLITE_REAL(p)->pMethods->xRead(CSQLITE_REAL(p), out, amount, offset);
}

static int csqlite_coalescing_write(sqlite3_file *p, const void *data, int amount, sqlite3_int64 offset) {
    csqlite_coalescing_file *f = (csqlite_coalescing_file *)p;
    if (!f->buffer) return f->real->pMethods->xWrite(f->real, data, amount, offset);
    if (f->length > 0 && offset == f->offset + f->length && amount <= f->capacity - f->length) {
        memcpy(f->buffer + f->length, data, (size_t)amount);
        f->length += amount;
        return SQLITE_OK;
    }
    // Not contiguous with the buffer (or it is full): what is buffered goes first, in order.
    int rc = csqlite_coalescing_flush(f);
    if (rc != SQLITE_OK) return rc;
    if (amount > f->capacity) return f->real->pMethods->xWrite(f->real, data, amount, offset);
    memcpy(f->buffer, data, (size_t)amount);
    f->length = amount;
    f->offset = offset;
    return SQLITE_OK;
}

static int csqlite_coalescing_truncate(sqlite3_file *p, sqlite3_int64 size) {
    int rc = csqlite_coalescing_flush((csqlite_coalescing_file *)p);
    return rc != SQLITE_OK ? rc : CSQLITE_REAL(p)->pMethods->xTruncate(CSQLITE_REAL(p), size);
}

static int csqlite_coalescing_sync(sqlite3_file *p, int flags) {
    int rc = csqlite_coalescing_flush((csqlite_coalescing_file *)p);
    return rc != SQLITE_OK ? rc : CSQLITE_REAL(p)->pMethods->xSync(CSQLITE_REAL(p), flags);
}

static int csqlite_coalescing_file_size(sqlite3_file *p, sqlite3_int64 *size) {
    int rc = csqlite_coalescing_flush((csqlite_coalescing_file *)p);
    return rc != SQLITE_OK ? rc : CSQLITE_REAL(p)->pMethods->xFileSize(CSQLITE_REAL(p), size);
}

static int csqlite_coalescing_lock(sqlite3_file *p, int level) {
    return CSQLITE_REAL(p)->pMethods->xLock(CSQLITE_REAL(p), level);
}

static int csqlite_coalescing_unlock(sqlite3_file *p, int level) {
    // In rollback-journal mode (a file before it is switched to WAL) the lock protects the
    // database's pages: they reach the file before it is released.
    int rc = csqlite_coalescing_flush((csqlite_coalescing_file *)p);
    return rc != SQLITE_OK ? rc : CSQLITE_REAL(p)->pMethods->xUnlock(CSQLITE_REAL(p), level);
}

static int csqlite_coalescing_check_reserved(sqlite3_file *p, int *out) {
    return CSQLITE_REAL(p)->pMethods->xCheckReservedLock(CSQLITE_REAL(p), out);
}

static int csqlite_coalescing_file_control(sqlite3_file *p, int op, void *arg) {
    int rc = csqlite_coalescing_flush((csqlite_coalescing_file *)p);
    return rc != SQLITE_OK ? rc : CSQLITE_REAL(p)->pMethods->xFileControl(CSQLITE_REAL(p), op, arg);
}

static int csqlite_coalescing_sector_size(sqlite3_file *p) {
    return CSQLITE_REAL(p)->pMethods->xSectorSize(CSQLITE_REAL(p));
}

static int csqlite_coalescing_device(sqlite3_file *p) {
    return CSQLITE_REAL(p)->pMethods->xDeviceCharacteristics(CSQLITE_REAL(p));
}

static int csqlite_coalescing_shm_map(sqlite3_file *p, int region, int size, int extend, void volatile **out) {
    return CSQLITE_REAL(p)->pMethods->xShmMap(CSQLITE_REAL(p), region, size, extend, out);
}

static int csqlite_coalescing_shm_lock(sqlite3_file *p, int offset, int n, int flags) {
    return CSQLITE_REAL(p)->pMethods->xShmLock(CSQLITE_REAL(p), offset, n, flags);
}

static void csqlite_coalescing_shm_barrier(sqlite3_file *p) {
    CSQLITE_REAL(p)->pMethods->xShmBarrier(CSQLITE_REAL(p));
}

static int csqlite_coalescing_shm_unmap(sqlite3_file *p, int deleteFlag) {
    return CSQLITE_REAL(p)->pMethods->xShmUnmap(CSQLITE_REAL(p), deleteFlag);
}

static int csqlite_coalescing_fetch(sqlite3_file *p, sqlite3_int64 offset, int amount, void **out) {
    return CSQLITE_REAL(p)->pMethods->xFetch(CSQLITE_REAL(p), offset, amount, out);
}

static int csqlite_coalescing_unfetch(sqlite3_file *p, sqlite3_int64 offset, void *page) {
    return CSQLITE_REAL(p)->pMethods->xUnfetch(CSQLITE_REAL(p), offset, page);
}

static const sqlite3_io_methods csqlite_coalescing_methods = {
    3,
    csqlite_coalescing_close, csqlite_coalescing_read, csqlite_coalescing_write,
    csqlite_coalescing_truncate, csqlite_coalescing_sync, csqlite_coalescing_file_size,
    csqlite_coalescing_lock, csqlite_coalescing_unlock, csqlite_coalescing_check_reserved,
    csqlite_coalescing_file_control, csqlite_coalescing_sector_size, csqlite_coalescing_device,
    csqlite_coalescing_shm_map, csqlite_coalescing_shm_lock, csqlite_coalescing_shm_barrier,
    csqlite_coalescing_shm_unmap, csqlite_coalescing_fetch, csqlite_coalescing_unfetch,
};

static int csqlite_coalescing_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    csqlite_coalescing_file *f = (csqlite_coalescing_file *)file;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)&f[1];
    sqlite3_vfs *real = csqlite_coalescing_real(vfs);
    int rc = real->xOpen(real, name, f->real, flags, outFlags);
    if (rc != SQLITE_OK) return rc;   // base.pMethods stays 0: SQLite will not call xClose
    // The methods above forward version-3 calls: the unix VFS's files are version 3.
    if (f->real->pMethods->iVersion < 3) {
        f->real->pMethods->xClose(f->real);
        return SQLITE_CANTOPEN;
    }
    if (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_DB)) {
        f->buffer = sqlite3_malloc(CSQLITE_COALESCING_CAPACITY);
        f->capacity = f->buffer ? CSQLITE_COALESCING_CAPACITY : 0;   // out of memory: unbuffered
    }
    f->base.pMethods = &csqlite_coalescing_methods;
    return SQLITE_OK;
}

static int csqlite_coalescing_delete(sqlite3_vfs *v, const char *name, int syncDir) {
    return csqlite_coalescing_real(v)->xDelete(csqlite_coalescing_real(v), name, syncDir);
}
static int csqlite_coalescing_access(sqlite3_vfs *v, const char *name, int flags, int *out) {
    return csqlite_coalescing_real(v)->xAccess(csqlite_coalescing_real(v), name, flags, out);
}
static int csqlite_coalescing_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out) {
    return csqlite_coalescing_real(v)->xFullPathname(csqlite_coalescing_real(v), name, n, out);
}
static void *csqlite_coalescing_dlopen(sqlite3_vfs *v, const char *name) {
    return csqlite_coalescing_real(v)->xDlOpen(csqlite_coalescing_real(v), name);
}
static void csqlite_coalescing_dlerror(sqlite3_vfs *v, int n, char *out) {
    csqlite_coalescing_real(v)->xDlError(csqlite_coalescing_real(v), n, out);
}
static void (*csqlite_coalescing_dlsym(sqlite3_vfs *v, void *handle, const char *symbol))(void) {
    return csqlite_coalescing_real(v)->xDlSym(csqlite_coalescing_real(v), handle, symbol);
}
static void csqlite_coalescing_dlclose(sqlite3_vfs *v, void *handle) {
    csqlite_coalescing_real(v)->xDlClose(csqlite_coalescing_real(v), handle);
}
static int csqlite_coalescing_randomness(sqlite3_vfs *v, int n, char *out) {
    return csqlite_coalescing_real(v)->xRandomness(csqlite_coalescing_real(v), n, out);
}
static int csqlite_coalescing_sleep(sqlite3_vfs *v, int microseconds) {
    return csqlite_coalescing_real(v)->xSleep(csqlite_coalescing_real(v), microseconds);
}
static int csqlite_coalescing_current_time(sqlite3_vfs *v, double *out) {
    return csqlite_coalescing_real(v)->xCurrentTime(csqlite_coalescing_real(v), out);
}
static int csqlite_coalescing_last_error(sqlite3_vfs *v, int n, char *out) {
    return csqlite_coalescing_real(v)->xGetLastError(csqlite_coalescing_real(v), n, out);
}
static int csqlite_coalescing_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *out) {
    return csqlite_coalescing_real(v)->xCurrentTimeInt64(csqlite_coalescing_real(v), out);
}

// Registers the VFS (not as the default) once; later calls find it. Call it from one place
// that runs once (a Swift `static let`). Returns its name, or 0 when "unix" is missing.
static inline const char *csqlite_coalescing_register(void) {
    static sqlite3_vfs vfs;
    sqlite3_vfs *real = sqlite3_vfs_find("unix");
    if (!real || real->iVersion < 2) return 0;
    if (sqlite3_vfs_find(CSQLITE_COALESCING_VFS)) return CSQLITE_COALESCING_VFS;
    memset(&vfs, 0, sizeof(vfs));
    vfs.iVersion = 2;
    vfs.szOsFile = (int)sizeof(csqlite_coalescing_file) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = CSQLITE_COALESCING_VFS;
    vfs.pAppData = real;
    vfs.xOpen = csqlite_coalescing_open;
    vfs.xDelete = csqlite_coalescing_delete;
    vfs.xAccess = csqlite_coalescing_access;
    vfs.xFullPathname = csqlite_coalescing_full_pathname;
    vfs.xDlOpen = csqlite_coalescing_dlopen;
    vfs.xDlError = csqlite_coalescing_dlerror;
    vfs.xDlSym = csqlite_coalescing_dlsym;
    vfs.xDlClose = csqlite_coalescing_dlclose;
    vfs.xRandomness = csqlite_coalescing_randomness;
    vfs.xSleep = csqlite_coalescing_sleep;
    vfs.xCurrentTime = csqlite_coalescing_current_time;
    vfs.xGetLastError = csqlite_coalescing_last_error;
    vfs.xCurrentTimeInt64 = csqlite_coalescing_current_time_int64;
    return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK ? CSQLITE_COALESCING_VFS : 0;
}
