"""Tables under AppTest as a reader sees them (what the browser draws, not the raw data)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa


def shown_rows(element: Any) -> list[dict[str, Any]]:
    """The rows of an AppTest dataframe: a styled cell's text, a missing value as the table's
    placeholder (Streamlit's own is "None"), any other cell as its value."""
    proto = element.proto
    placeholder = proto.placeholder if proto.HasField("placeholder") else "None"
    styled = proto.arrow_data.styler.display_values
    frame = element.value
    texts = pa.ipc.open_stream(styled).read_all().to_pylist() if styled else None
    rows = []
    for i, record in enumerate(frame.to_dict("records")):
        row = {}
        for column, value in record.items():
            missing = value is None or (isinstance(value, float) and value != value)
            if missing:
                row[column] = placeholder
            elif texts is not None:
                row[column] = texts[i][column]
            else:
                row[column] = value
        rows.append(row)
    return rows


def chart_datasets(chart: Any) -> list[list[dict[str, Any]]]:
    """The rows of each dataset an AppTest Vega-Lite chart was sent with."""
    return [pa.ipc.open_stream(ds.data.data).read_all().to_pylist() for ds in chart.proto.datasets]
