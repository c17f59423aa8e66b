"""The quarterly briefing: a narrative written from the figures, and a PDF to take away."""
