"""The service layer: what each view, the command line, the briefing and the bench show,
put together from the store and the metrics. No Streamlit here: the app reaches these
functions through ui/cache.py (its st.cache_* wrappers), the commands call them directly.

- evaluated: one date's evaluation, the filters, the quarters (the one quarter loop);
- portfolio: the figures of the Portfolio views (Overview, Outcomes, Delivery, Project);
- jira: the Jira flow figures; review: the quarterly review; report: the CLI's report.
"""
