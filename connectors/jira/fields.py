"""Which custom fields hold story points and the epic link on this Jira.

Their ids (customfield_10016, customfield_10002, ...) differ on every site, so they
are found through the field list by their type, and can be set in configuration.

Many sites have several story-point fields: company-managed projects' "Story Points",
team-managed projects' "Story point estimate", and leftovers of migrations (Atlassian's
own public Jira lists three "Story Points"). Every one of them is fetched; which one
counts is decided per epic, from the values its children carry (connectors.jira.parse).
"Original story points" (Plans' snapshot) and "Actual Story Points" are other measures
and never candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

JSW_STORY_POINTS = "com.pyxis.greenhopper.jira:jsw-story-points"
FLOAT_FIELD = "com.atlassian.jira.plugin.system.customfieldtypes:float"
EPIC_LINK = "com.pyxis.greenhopper.jira:gh-epic-link"
STORY_POINT_NAMES = ("story points", "story point estimate")
NUMBER = "number"

# What the metrics need of every issue; nothing else is asked for.
BASE_FIELDS = (
    "summary",
    "issuetype",
    "status",
    "created",
    "updated",
    "resolutiondate",
    "parent",
)


@dataclass(frozen=True)
class FieldMap:
    """The ids of the fields the sync reads, as found (or as configured)."""

    story_points: tuple[str, ...] = ()  # every candidate, the preferred one first
    epic_link: str | None = None
    has_parent: bool = True

    @property
    def request(self) -> list[str]:
        """The explicit `fields` list for searches."""
        return [*BASE_FIELDS, *self.story_points, *([self.epic_link] if self.epic_link else [])]


def _custom(field: Mapping[str, Any]) -> str:
    schema = field.get("schema") or {}
    return str(schema.get("custom") or "")


def _is_number(field: Mapping[str, Any]) -> bool:
    schema = field.get("schema") or {}
    return _custom(field) == FLOAT_FIELD or schema.get("type") == NUMBER


def story_point_fields(fields: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Every story-point field of the site: Jira Software's own type first (the board
    estimate), then number fields named "Story Points" or "Story point estimate"."""
    jsw = [str(f["id"]) for f in fields if _custom(f) == JSW_STORY_POINTS]
    named = [
        str(f["id"])
        for f in fields
        if _is_number(f) and str(f.get("name", "")).strip().lower() in STORY_POINT_NAMES
    ]
    return tuple(dict.fromkeys(jsw + named))


def discover(
    fields: Iterable[Mapping[str, Any]],
    story_points: str | None = None,
    epic_link: str | None = None,
) -> FieldMap:
    """Find the fields by type (and name, for plain number fields); an override wins and
    is then the only story-point field."""
    listed = [f for f in fields if isinstance(f, Mapping) and f.get("id")]
    by_id = {str(f["id"]): f for f in listed}
    by_name = {str(f.get("name", "")).strip().lower(): str(f["id"]) for f in listed}

    def resolve(override: str | None) -> str | None:
        # An override may be an id or a field's name as users see it.
        if not override:
            return None
        return override if override in by_id else by_name.get(override.strip().lower(), override)

    configured = resolve(story_points)
    points = (configured,) if configured else story_point_fields(listed)
    epic = resolve(epic_link)
    if epic is None:
        epic = next((str(f["id"]) for f in listed if _custom(f) == EPIC_LINK), None)
    return FieldMap(story_points=points, epic_link=epic, has_parent="parent" in by_id or not by_id)
