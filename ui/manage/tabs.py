"""The tabs of the Data page, in order. Each tab is a label and a function that draws its
body; a Jira sync panel or a settings panel is one more entry in `data_tabs()`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ui.manage import audit as data_audit
from ui.manage import history as data_history
from ui.manage import upload as data_upload
from ui.manage.currency_setting import render_currency_setting
from ui.manage.jira_panel import render_jira_panel
from ui.manage.measure_panel import render_measure_panel
from ui.manage.settings_panel import render_settings_panel
from ui.shell.access import current_access


@dataclass(frozen=True)
class DataTab:
    """A tab: its label (also its value in the URL, `?tab=History`) and its body."""

    label: str
    render: Callable[[], None]


def data_tabs() -> list[DataTab]:
    return [
        DataTab("Upload", data_upload.render),
        DataTab("History", data_history.render),
        DataTab("Jira", render_jira_panel),
        DataTab("Sources", render_measure_panel),
        DataTab("Settings", _settings),
        DataTab("Audit log", data_audit.render),
    ]


def _settings() -> None:
    can_edit = current_access().can_edit
    render_settings_panel(can_edit=can_edit)
    render_currency_setting(can_edit=can_edit)
