"""Parts of the Data view: upload, mapping, history, audit log, Jira, settings."""
