"""Pure Polars metric functions (docs/metrics.md): frames in, frames out, no store, no Streamlit."""
