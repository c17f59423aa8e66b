"""Where a lake keeps its data files, and how to reach S3-compatible storage: from the
environment (COCKPIT_LAKE_DATA, COCKPIT_S3_*), else `[store]` in .streamlit/secrets.toml.

The S3 credentials go into a DuckDB secret (shown redacted by DuckDB) and are blanked out
of every message; they are never logged or printed.

| environment variable     | `[store]` key      | meaning                                         |
|--------------------------|--------------------|-------------------------------------------------|
| COCKPIT_LAKE_DATA        | lake_data          | data files: a folder, or s3://bucket/prefix     |
| COCKPIT_S3_ENDPOINT      | s3_endpoint        | host:port, or http(s)://host:port (default AWS) |
| COCKPIT_S3_REGION        | s3_region          | the bucket's region (also AWS_REGION)           |
| COCKPIT_S3_URL_STYLE     | s3_url_style       | path or vhost (path when an endpoint is given)  |
| COCKPIT_S3_KEY_ID        | s3_key_id          | access key id (also AWS_ACCESS_KEY_ID)          |
| COCKPIT_S3_SECRET        | s3_secret          | secret access key (also AWS_SECRET_ACCESS_KEY)  |
| COCKPIT_S3_SESSION_TOKEN | s3_session_token   | session token, for temporary credentials        |

An environment variable, when set, wins over the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from domain.paths import APP_ROOT
from store.errors import StoreError

SECTION = "store"
# setting -> (environment variables, most specific first)
ENV_NAMES: dict[str, tuple[str, ...]] = {
    "lake_data": ("COCKPIT_LAKE_DATA",),
    "s3_endpoint": ("COCKPIT_S3_ENDPOINT",),
    "s3_region": ("COCKPIT_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
    "s3_url_style": ("COCKPIT_S3_URL_STYLE",),
    "s3_key_id": ("COCKPIT_S3_KEY_ID", "AWS_ACCESS_KEY_ID"),
    "s3_secret": ("COCKPIT_S3_SECRET", "AWS_SECRET_ACCESS_KEY"),
    "s3_session_token": ("COCKPIT_S3_SESSION_TOKEN", "AWS_SESSION_TOKEN"),
}
SECRET_SETTINGS = ("s3_key_id", "s3_secret", "s3_session_token")
URL_STYLES = ("path", "vhost")
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class S3Settings:
    """How to reach S3-compatible storage. `repr` leaves the credentials out."""

    endpoint: str | None = None  # host[:port], without scheme
    use_ssl: bool = True
    region: str = DEFAULT_REGION
    url_style: str = "vhost"
    key_id: str | None = None
    secret: str | None = None
    session_token: str | None = None

    def __repr__(self) -> str:
        return f"S3Settings(endpoint={self.endpoint!r}, region={self.region!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values never to be shown."""
        return tuple(v for v in (self.key_id, self.secret, self.session_token) if v)

    def describe(self) -> str:
        """`endpoint 127.0.0.1:9000` or `AWS S3, region eu-west-1`: no credentials."""
        if self.endpoint:
            return f"endpoint {'https' if self.use_ssl else 'http'}://{self.endpoint}"
        return f"AWS S3, region {self.region}"


@dataclass(frozen=True)
class LakeSettings:
    """Where the data files go (None: beside a file catalog, or as the catalog says) and
    how to reach S3 (None when nothing points at S3)."""

    data_path: str | None
    s3: S3Settings | None

    @property
    def on_s3(self) -> bool:
        return bool(self.data_path and self.data_path.startswith("s3://"))

    def bucket(self) -> str | None:
        return urlsplit(self.data_path).netloc if self.on_s3 and self.data_path else None


def secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets, farthest first (a nearer file wins): the home
    folder, the app folder, the working folder."""
    found: list[Path] = []
    for path in (
        Path.home() / ".streamlit" / "secrets.toml",
        APP_ROOT / ".streamlit" / "secrets.toml",
        Path.cwd() / ".streamlit" / "secrets.toml",
    ):
        if path not in found:
            found.append(path)
    return found


def _file_section() -> dict[str, Any]:
    section: dict[str, Any] = {}
    for path in secrets_files():
        if not path.is_file():
            continue
        try:
            with path.open("rb") as handle:
                table = tomllib.load(handle).get(SECTION) or {}
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(
                f"{path} cannot be read for its [{SECTION}] settings ({type(exc).__name__})."
            ) from None
        if not isinstance(table, dict):
            raise StoreError(f"[{SECTION}] in {path} must be a table of settings.")
        section.update(table)
    return section


def _values(env: Mapping[str, str], section: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for setting, names in ENV_NAMES.items():
        from_env = next((env[n].strip() for n in names if env.get(n, "").strip()), None)
        from_file = section.get(setting)
        if from_env:
            values[setting] = from_env
        elif from_file is not None and str(from_file).strip():
            values[setting] = str(from_file).strip()
    unknown = sorted(set(section) - set(ENV_NAMES))
    if unknown:
        raise StoreError(
            f"Unknown setting(s) under [{SECTION}] in secrets.toml: {', '.join(unknown)}. "
            f"Known: {', '.join(ENV_NAMES)}."
        )
    return values


def _s3(values: dict[str, str]) -> S3Settings:
    endpoint, use_ssl = values.get("s3_endpoint"), True
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
            raise StoreError(
                f"COCKPIT_S3_ENDPOINT / s3_endpoint must be host:port or http(s)://host:port, "
                f"not {endpoint!r}."
            )
        endpoint, use_ssl = parts.netloc, parts.scheme == "https"
    style = values.get("s3_url_style", "path" if endpoint else "vhost").lower()
    if style not in URL_STYLES:
        raise StoreError(
            f"COCKPIT_S3_URL_STYLE / s3_url_style must be path or vhost, not {style!r}."
        )
    key_id, secret = values.get("s3_key_id"), values.get("s3_secret")
    if bool(key_id) != bool(secret):
        raise StoreError(
            "S3 credentials need both an access key id (COCKPIT_S3_KEY_ID / s3_key_id) and "
            "its secret (COCKPIT_S3_SECRET / s3_secret); only one is set."
        )
    return S3Settings(
        endpoint=endpoint,
        use_ssl=use_ssl,
        region=values.get("s3_region", DEFAULT_REGION),
        url_style=style,
        key_id=key_id,
        secret=secret,
        session_token=values.get("s3_session_token"),
    )


def lake_settings(
    env: Mapping[str, str] | None = None, data_path: str | None = None
) -> LakeSettings:
    """The settings in force for this process (read at each connect: cheap); `data_path`
    instead of COCKPIT_LAKE_DATA / lake_data when given."""
    env = os.environ if env is None else env
    section = _file_section()
    values = _values(env, section)
    data_path = data_path or values.get("lake_data")
    if data_path and data_path.startswith("s3://") and not urlsplit(data_path).netloc:
        raise StoreError(f"COCKPIT_LAKE_DATA {data_path!r} names no bucket: s3://bucket/prefix.")
    # AWS_* alone (a shell set up for other tools) does not make every lake load S3 support.
    wants_s3 = (data_path or "").startswith("s3://") or any(
        env.get(names[0], "").strip() or str(section.get(setting) or "").strip()
        for setting, names in ENV_NAMES.items()
        if setting.startswith("s3_")
    )
    return LakeSettings(data_path, _s3(values) if wants_s3 else None)
