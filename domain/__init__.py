"""Types shared by connectors, store and metrics: the data contract and the settings."""
