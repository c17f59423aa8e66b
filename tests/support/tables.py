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


def unreadable_cells(element: Any, width: int) -> list[str]:
    """What of an AppTest table would not read whole in a table `width` px wide, measured as
    ui.widgets.tables measures text: the columns wider than the table, a header that does not
    fit its column on one line, a cell that needs more lines than its rows hold."""
    import json

    from ui.widgets.tables import CELL_PAD_PX, LINE_PX, SELECT_PX, text_px, wrapped_lines

    proto = element.proto
    config = json.loads(proto.columns or "{}")
    columns = list(proto.column_order) or list(element.value.columns)
    widths = {name: config[name]["width"] for name in columns}
    picks = SELECT_PX if len(proto.selection_mode) else 0
    lines = (proto.row_height - 14) // LINE_PX if proto.HasField("row_height") else 1
    problems = []
    if sum(widths.values()) + picks > width:
        problems.append(f"{sum(widths.values()) + picks} px of columns in {width} px")
    for row in shown_rows(element):
        for name in columns:
            room = widths[name] - CELL_PAD_PX
            text = str(row[name])
            needs = wrapped_lines(text, room)
            if text_px(name) > room or needs is None or needs > lines:
                problems.append(f"{name}: {text!r} in {widths[name]} px, {lines} lines")
    return problems
