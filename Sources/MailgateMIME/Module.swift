// MailgateMIME: see docs/ARCHITECTURE.md.
