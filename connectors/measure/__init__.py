"""Measurement sources -> measurements: each benefit's number pulled from where it lives.

Small modules with one job each: `connections` (named connections and their secrets),
`redact` (credentials out of every message), `values` (one number, or why not), the
adapters `sql` (DuckDB over files and attached databases), `jira` (a JQL count or sum)
and `http` (a JSON document), `schedule` (which sources are due, how each is doing),
`run` (a run: measure, preview, commit) and `command` (`cockpit measure`).
"""
