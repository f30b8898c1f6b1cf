// MailgateIO: see docs/ARCHITECTURE.md.
