#include <sqlite3.h>
#include "wal_coalescing.h"

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type csqlite_static(void) { return SQLITE_STATIC; }

// sqlite3_config is variadic; Swift cannot call it directly.
static inline int csqlite_config_single_thread_off(void) { return sqlite3_config(SQLITE_CONFIG_MULTITHREAD); }

// The connection's fts5_api, from the documented `SELECT fts5(?1)` handshake; 0 without FTS5.
static inline fts5_api *csqlite_fts5_api(sqlite3 *db) {
    fts5_api *api = 0;
    sqlite3_stmt *stmt = 0;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, 0) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", 0);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    return api && api->iVersion >= 2 ? api : 0;
}

// FTS5's unicode61 tokenizer with remove_diacritics 2 (message_fts's), so Swift can list the
// terms a text is indexed under (StoreSchema.searchTermsV4).
typedef void (*csqlite_token_callback)(void *context, const char *token, int length);

typedef struct csqlite_tokenizer {
    fts5_tokenizer methods;
    Fts5Tokenizer *instance;
    csqlite_token_callback callback;
    void *context;
} csqlite_tokenizer;

static inline csqlite_tokenizer *csqlite_tokenizer_open(sqlite3 *db) {
    fts5_api *api = csqlite_fts5_api(db);
    if (!api) return 0;
    csqlite_tokenizer *t = sqlite3_malloc(sizeof(csqlite_tokenizer));
    if (!t) return 0;
    void *user = 0;
    const char *args[] = {"remove_diacritics", "2"};
    if (api->xFindTokenizer(api, "unicode61", &user, &t->methods) != SQLITE_OK
        || t->methods.xCreate(user, args, 2, &t->instance) != SQLITE_OK) {
        sqlite3_free(t);
        return 0;
    }
    return t;
}

static int csqlite_tokenizer_emit(void *ctx, int flags, const char *token, int length, int start, int end) {
    (void)start; (void)end;
    csqlite_tokenizer *t = ctx;
    if (!(flags & FTS5_TOKEN_COLOCATED)) t->callback(t->context, token, length);
    return SQLITE_OK;
}

static inline int csqlite_tokenizer_run(csqlite_tokenizer *t, const char *text, int length, void *context,
                                        csqlite_token_callback callback) {
    t->callback = callback;
    t->context = context;
    return t->methods.xTokenize(t->instance, t, FTS5_TOKENIZE_DOCUMENT, text, length, csqlite_tokenizer_emit);
}

static inline void csqlite_tokenizer_close(csqlite_tokenizer *t) {
    if (!t) return;
    t->methods.xDelete(t->instance);
    sqlite3_free(t);
}

// The distinct terms FTS5 indexes during an indexing pass (StoreSchema.searchTermsV4), taken
// from the tokenizer as FTS5 calls it, so each text is tokenized once, not once for the index
// and again for search_terms. `csqlite_term_recorder_install` registers, on one connection, a
// tokenizer named "unicode61" that forwards to FTS5's own (same arguments, same tokens) and,
// while the recorder is on, also adds each DOCUMENT token to a set: an open-addressing table
// over an arena of (length, bytes) entries, so a term repeated across a pass costs a hash and a
// memcmp. FTS5 looks tokenizers up when it opens a table on the connection, so install before
// any statement touches message_fts there. The recorder belongs to the connection: it is freed
// when the connection closes.
#include <stdint.h>
#include <string.h>

typedef struct csqlite_term_recorder {
    fts5_tokenizer original;
    void *original_user;
    int recording;
    int failed;             // out of memory: the set is incomplete
    uint32_t *slots;        // 0 = empty, else 1 + the entry's arena offset
    uint32_t capacity;      // a power of two
    uint32_t count;
    unsigned char *arena;   // entries: uint32_t length, then the bytes
    size_t arena_length, arena_capacity;
} csqlite_term_recorder;

typedef struct { Fts5Tokenizer *inner; csqlite_term_recorder *recorder; } csqlite_recording_tokenizer;
typedef struct {
    void *context;
    int (*token)(void *, int, const char *, int, int, int);
    csqlite_term_recorder *recorder;
} csqlite_recording_call;

static uint32_t csqlite_term_hash(const char *bytes, int length) {
    uint32_t h = 2166136261u; // FNV-1a
    for (int i = 0; i < length; i++) h = (h ^ (unsigned char)bytes[i]) * 16777619u;
    return h;
}

static int csqlite_term_grow(csqlite_term_recorder *r) {
    uint32_t capacity = r->capacity ? r->capacity * 2 : 1024;
    uint32_t *slots = sqlite3_malloc64((sqlite3_uint64)capacity * sizeof(uint32_t));
    if (!slots) return 0;
    memset(slots, 0, (size_t)capacity * sizeof(uint32_t));
    for (uint32_t i = 0; i < r->capacity; i++) {
        uint32_t slot = r->slots[i];
        if (!slot) continue;
        uint32_t length;
        memcpy(&length, r->arena + slot - 1, 4);
        uint32_t j = csqlite_term_hash((const char *)r->arena + slot - 1 + 4, (int)length) & (capacity - 1);
        while (slots[j]) j = (j + 1) & (capacity - 1);
        slots[j] = slot;
    }
    sqlite3_free(r->slots);
    r->slots = slots;
    r->capacity = capacity;
    return 1;
}

static void csqlite_term_add(csqlite_term_recorder *r, const char *token, int length) {
    if (r->failed || length <= 0) return;
    if ((r->count + 1) * 2 > r->capacity && !csqlite_term_grow(r)) { r->failed = 1; return; }
    uint32_t j = csqlite_term_hash(token, length) & (r->capacity - 1);
    while (r->slots[j]) {
        uint32_t existing;
        memcpy(&existing, r->arena + r->slots[j] - 1, 4);
        if (existing == (uint32_t)length && memcmp(r->arena + r->slots[j] - 1 + 4, token, (size_t)length) == 0) return;
        j = (j + 1) & (r->capacity - 1);
    }
    size_t needed = r->arena_length + 4 + (size_t)length;
    if (needed >= UINT32_MAX) { r->failed = 1; return; }
    if (needed > r->arena_capacity) {
        size_t capacity = r->arena_capacity ? r->arena_capacity : 65536;
        while (capacity < needed) capacity *= 2;
        unsigned char *arena = sqlite3_realloc64(r->arena, capacity);
        if (!arena) { r->failed = 1; return; }
        r->arena = arena;
        r->arena_capacity = capacity;
    }
    uint32_t length32 = (uint32_t)length;
    memcpy(r->arena + r->arena_length, &length32, 4);
    memcpy(r->arena + r->arena_length + 4, token, (size_t)length);
    r->slots[j] = (uint32_t)r->arena_length + 1;
    r->arena_length = needed;
    r->count++;
}

static int csqlite_recording_token(void *context, int flags, const char *token, int length, int start, int end) {
    csqlite_recording_call *call = context;
    if (!(flags & FTS5_TOKEN_COLOCATED)) csqlite_term_add(call->recorder, token, length);
    return call->token(call->context, flags, token, length, start, end);
}

static int csqlite_recording_create(void *user, const char **args, int count, Fts5Tokenizer **out) {
    csqlite_term_recorder *r = user;
    csqlite_recording_tokenizer *t = sqlite3_malloc(sizeof(*t));
    if (!t) return SQLITE_NOMEM;
    t->recorder = r;
    int rc = r->original.xCreate(r->original_user, args, count, &t->inner);
    if (rc != SQLITE_OK) { sqlite3_free(t); return rc; }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void csqlite_recording_delete(Fts5Tokenizer *tokenizer) {
    csqlite_recording_tokenizer *t = (csqlite_recording_tokenizer *)tokenizer;
    t->recorder->original.xDelete(t->inner);
    sqlite3_free(t);
}

static int csqlite_recording_tokenize(Fts5Tokenizer *tokenizer, void *context, int flags, const char *text, int length,
                                      int (*token)(void *, int, const char *, int, int, int)) {
    csqlite_recording_tokenizer *t = (csqlite_recording_tokenizer *)tokenizer;
    if (!t->recorder->recording || flags != FTS5_TOKENIZE_DOCUMENT)
        return t->recorder->original.xTokenize(t->inner, context, flags, text, length, token);
    csqlite_recording_call call = {context, token, t->recorder};
    return t->recorder->original.xTokenize(t->inner, &call, flags, text, length, csqlite_recording_token);
}

static inline void csqlite_term_recorder_clear(csqlite_term_recorder *r) {
    // A pass of unusually many distinct terms does not keep its memory for every later pass.
    if (r->arena_capacity > (4u << 20) || r->capacity > (1u << 20)) {
        sqlite3_free(r->slots);
        sqlite3_free(r->arena);
        r->slots = 0; r->arena = 0;
        r->capacity = 0; r->arena_capacity = 0;
    }
    if (r->slots) memset(r->slots, 0, (size_t)r->capacity * sizeof(uint32_t));
    r->count = 0;
    r->arena_length = 0;
    r->failed = 0;
}

static void csqlite_term_recorder_destroy(void *user) {
    csqlite_term_recorder *r = user;
    sqlite3_free(r->slots);
    sqlite3_free(r->arena);
    sqlite3_free(r);
}

static inline csqlite_term_recorder *csqlite_term_recorder_install(sqlite3 *db) {
    fts5_api *api = csqlite_fts5_api(db);
    if (!api) return 0;
    csqlite_term_recorder *r = sqlite3_malloc(sizeof(*r));
    if (!r) return 0;
    memset(r, 0, sizeof(*r));
    if (api->xFindTokenizer(api, "unicode61", &r->original_user, &r->original) != SQLITE_OK) {
        sqlite3_free(r);
        return 0;
    }
    fts5_tokenizer methods = {csqlite_recording_create, csqlite_recording_delete, csqlite_recording_tokenize};
    if (api->xCreateTokenizer(api, "unicode61", r, &methods, csqlite_term_recorder_destroy) != SQLITE_OK) {
        sqlite3_free(r);
        return 0;
    }
    return r;
}

// The next recorded term after `*cursor` (start at 0); 0 when there is none.
static inline int csqlite_term_recorder_next(const csqlite_term_recorder *r, size_t *cursor,
                                             const char **token, int *length) {
    if (*cursor >= r->arena_length) return 0;
    uint32_t n;
    memcpy(&n, r->arena + *cursor, 4);
    *token = (const char *)r->arena + *cursor + 4;
    *length = (int)n;
    *cursor += 4 + n;
    return 1;
}
