// Mailgate: see docs/ARCHITECTURE.md.
