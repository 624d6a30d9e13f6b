"""One typed settings object read from the environment or .streamlit/secrets.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from data_access.codes import is_code

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = ("CHANGE_ME", "<password>", "your-password", "xxx")
DB_KEYS = ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL")


class SettingsError(RuntimeError):
    """A setting is missing or still holds a placeholder."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one deployment."""

    data_dir: Path
    monitoring_url: str
    industry_url: str
    app_url: str
    city_adcode: str = "231200"
    boundary_file: str | None = None
    demo_scale: float = 1.0
    demo_seed: int = 20210101
    trusted_proxies: str = ""  # reverse proxies whose X-Forwarded-For is believed (addresses or networks, commas)
    province: str | None = None  # the province of the monitoring income line, when the data does not say
    # upper bounds (元) of the collective-income tiers after 空壳 (0): 薄弱 under the first, ..., the last open-ended
    collective_tiers: tuple[int, ...] = (50_000, 100_000, 200_000, 500_000, 1_000_000)
    tile_url: str | None = None  # an intranet map tile server ({z}/{x}/{y}); none by default: boundaries only
    tile_attribution: str = ""
    screen_seconds: float = 20.0  # how long the presentation screen shows each panel
    screen_indicator: str = "M1"  # the indicator of the screen's county map
    # days after which a table's latest record is 超期 on the data page (data_access.quality.GROUPS says which
    # tables are daily/weekly records, monthly or yearly; registers such as households are not judged by date)
    stale_days: tuple[tuple[str, int], ...] = (("record", 30), ("monthly", 45), ("yearly", 400))


def _secrets() -> dict:
    path = Path(os.environ.get("DASHBOARD_SECRETS", ROOT / ".streamlit" / "secrets.toml"))
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


def _check(key: str, value: str) -> str:
    if not value.strip():
        raise SettingsError(f"{key} is empty")
    if any(p.lower() in value.lower() for p in PLACEHOLDERS):
        raise SettingsError(f"{key} still holds a placeholder value; set a real one")
    return value


def load_settings() -> Settings:
    """Read settings: environment first, then secrets.toml, then defaults (SQLite under data/)."""
    secrets = _secrets()

    def get(key: str, default: str | None = None) -> str | None:
        if key in os.environ:
            return os.environ[key]
        if key in secrets:
            return str(secrets[key])
        return default

    data_dir = Path(get("DASHBOARD_DATA_DIR", str(ROOT / "data"))).resolve()
    urls = {}
    for key, fname in zip(DB_KEYS, ("monitoring.db", "industry.db", "app.db")):
        urls[key] = _check(key, get(key, f"sqlite:///{data_dir / fname}"))
    city = get("DASHBOARD_CITY_ADCODE", "231200")
    if not is_code(city):
        raise SettingsError(f"DASHBOARD_CITY_ADCODE must be a 6-digit adcode, got {city!r}")
    return Settings(
        data_dir=data_dir,
        monitoring_url=urls["MONITORING_DB_URL"],
        industry_url=urls["INDUSTRY_DB_URL"],
        app_url=urls["APP_DB_URL"],
        city_adcode=city,
        boundary_file=get("DASHBOARD_BOUNDARY_FILE") or None,
        demo_scale=float(get("DASHBOARD_DEMO_SCALE", "1")),
        demo_seed=int(get("DASHBOARD_DEMO_SEED", "20210101")),
        trusted_proxies=_proxies(get("DASHBOARD_TRUSTED_PROXIES", "") or ""),
        province=get("DASHBOARD_PROVINCE") or None,
        collective_tiers=_tiers(get("DASHBOARD_COLLECTIVE_TIERS", "50000,100000,200000,500000,1000000") or ""),
        tile_url=_tile_url(get("DASHBOARD_TILE_URL") or None),
        tile_attribution=get("DASHBOARD_TILE_ATTRIBUTION", "") or "",
        screen_seconds=_seconds(get("DASHBOARD_SCREEN_SECONDS", "20") or "20"),
        screen_indicator=(get("DASHBOARD_SCREEN_INDICATOR", "M1") or "M1").strip().upper(),
        stale_days=_stale_days(get("DASHBOARD_STALE_DAYS", "") or ""),
    )


STALE_GROUPS = ("record", "monthly", "yearly")


def _stale_days(value: str) -> tuple[tuple[str, int], ...]:
    """DASHBOARD_STALE_DAYS as group=days pairs separated by commas (record=30,monthly=45,yearly=400); a group
    left out keeps its default."""
    days = dict(Settings.stale_days)
    for part in value.split(","):
        if not part.strip():
            continue
        group, _, number = part.partition("=")
        group = group.strip()
        if group not in STALE_GROUPS or not number.strip().isdigit() or int(number) < 1:
            raise SettingsError(f"DASHBOARD_STALE_DAYS must be group=days pairs ({', '.join(STALE_GROUPS)}; days a "
                                f"positive whole number), got {part.strip()!r}")
        days[group] = int(number)
    return tuple(days.items())


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(f"DASHBOARD_SCREEN_SECONDS must be a number of seconds, got {value!r}") from None
    if not 0.5 <= seconds <= 3600:
        raise SettingsError(f"DASHBOARD_SCREEN_SECONDS must be between 0.5 and 3600, got {value!r}")
    return seconds


def _tiers(value: str) -> tuple[int, ...]:
    """Increasing positive bounds; the first is 5万 and 10万 one of them, so the tiers agree with I3 and I4."""
    try:
        bounds = tuple(int(v) for v in value.split(",") if v.strip())
    except ValueError as e:
        raise SettingsError(f"DASHBOARD_COLLECTIVE_TIERS must be whole numbers of 元 separated by commas: {value!r}") from e
    if not bounds or any(b <= 0 for b in bounds) or list(bounds) != sorted(set(bounds)):
        raise SettingsError(f"DASHBOARD_COLLECTIVE_TIERS must be increasing positive bounds: {value!r}")
    if bounds[0] != 50_000 or 100_000 not in bounds:
        raise SettingsError("DASHBOARD_COLLECTIVE_TIERS must start at 50000 (薄弱村) and include 100000 (I3)")
    return bounds


def _tile_url(value: str | None) -> str | None:
    """An http(s) tile URL template with {z}, {x} and {y}."""
    if value is None:
        return None
    if not value.startswith(("http://", "https://", "/")) or not all(k in value for k in ("{z}", "{x}", "{y}")):
        raise SettingsError("DASHBOARD_TILE_URL must be an http(s) or /path URL template with {z}, {x} and {y}")
    return value


def _proxies(value: str) -> str:
    import ipaddress

    for part in value.split(","):
        if part.strip():
            try:
                ipaddress.ip_network(part.strip(), strict=False)
            except ValueError as e:
                raise SettingsError(f"DASHBOARD_TRUSTED_PROXIES: {part.strip()!r} is not an address or network") from e
    return value


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
