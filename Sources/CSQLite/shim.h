#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type csqlite_static(void) { return SQLITE_STATIC; }

// sqlite3_config is variadic; Swift cannot call it directly.
static inline int csqlite_config_single_thread_off(void) { return sqlite3_config(SQLITE_CONFIG_MULTITHREAD); }

// FTS5's unicode61 tokenizer with remove_diacritics 2 (message_fts's), so Swift can list the
// terms a text is indexed under (StoreSchema.searchTermsV4). The fts5_api comes from the
// documented `SELECT fts5(?1)` handshake.
typedef void (*csqlite_token_callback)(void *context, const char *token, int length);

typedef struct csqlite_tokenizer {
    fts5_tokenizer methods;
    Fts5Tokenizer *instance;
    csqlite_token_callback callback;
    void *context;
} csqlite_tokenizer;

static inline csqlite_tokenizer *csqlite_tokenizer_open(sqlite3 *db) {
    fts5_api *api = 0;
    sqlite3_stmt *stmt = 0;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, 0) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", 0);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (!api || api->iVersion < 2) return 0;
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
