"""Spreadsheet snapshots (CSV/XLSX): read, recognise, parse, validate."""

from connectors.sheets.load import LoadResult, load_files
from connectors.sheets.problems import Problem

__all__ = ["LoadResult", "Problem", "load_files"]
