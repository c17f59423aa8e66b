"""Connectors: spreadsheets and Jira in, validated frames out."""
