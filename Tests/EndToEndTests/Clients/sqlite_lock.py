#!/usr/bin/env python3
"""Holds the write lock of a SQLite database from another process, the way an operator's
sqlite3 shell (or a stuck backup tool) would: BEGIN EXCLUSIVE, touch <ready>, wait for
<release> to exist, ROLLBACK. The gateway's writer then waits its busy timeout and fails."""
import os, sqlite3, sys, time

path, ready, release = sys.argv[1:4]
db = sqlite3.connect(path, isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")
open(ready, "w").close()
deadline = time.monotonic() + 120
while not os.path.exists(release) and time.monotonic() < deadline:
    time.sleep(0.01)
db.execute("ROLLBACK")
db.close()
print("released")
