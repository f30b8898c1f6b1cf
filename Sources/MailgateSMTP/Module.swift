// MailgateSMTP: see docs/ARCHITECTURE.md.
