// MailgateHTTP: see docs/ARCHITECTURE.md.
