"""Building blocks every view draws with: text shown as text, tables, tiles, charts,
downloads, the page header and the empty state."""
