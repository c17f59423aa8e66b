"""Parts of the Quarterly review view: its sections, the briefing download, presentation mode."""
