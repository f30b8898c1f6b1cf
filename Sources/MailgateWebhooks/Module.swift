// MailgateWebhooks: see docs/ARCHITECTURE.md.
