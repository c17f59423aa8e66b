"""The `cockpit` command: one entry point for every command line of the product."""
