"""Pure Polars metric functions (METRICS.md): frames in, frames out, no store, no Streamlit."""
