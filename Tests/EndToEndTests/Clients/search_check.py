"""Checks the search file against the store it follows (run with the gateway stopped, after a
search made it apply everything queued): every stored message is indexed for its id, nothing
else is, and FTS5's own integrity checks pass on both full-text tables.

    python3 search_check.py DB      prints JSON {"messages", "missing", "extra", "integrity"}
"""
import json, sqlite3, sys

db = sys.argv[1]
c = sqlite3.connect(db + "-search")
c.execute("ATTACH DATABASE ? AS store", (db,))
one = lambda sql: c.execute(sql).fetchone()[0]
report = {
    "messages": one("SELECT count(*) FROM store.messages"),
    "missing": one("SELECT count(*) FROM store.messages m WHERE NOT EXISTS "
                   "(SELECT 1 FROM indexed i WHERE i.seq = m.seq AND i.id = m.id)"),
    "extra": one("SELECT count(*) FROM indexed i WHERE NOT EXISTS "
                 "(SELECT 1 FROM store.messages m WHERE m.seq = i.seq AND m.id = i.id)"),
}
try:
    c.execute("INSERT INTO message_fts(message_fts) VALUES ('integrity-check')")
    c.execute("INSERT INTO subject_fts(subject_fts) VALUES ('integrity-check')")
    report["integrity"] = one("PRAGMA main.integrity_check")
except sqlite3.DatabaseError as e:
    report["integrity"] = str(e)
print(json.dumps(report))
