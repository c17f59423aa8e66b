"""Altair chart builders with one theme for the whole app."""
