"""Engines: one per database URL per process, created lazily."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, create_engine, event, make_url

from data_access.settings import settings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
CONNECT_SECONDS = 5


def engine_for_url(url: str) -> Engine:
    """Create (once) the engine for a URL; SQLite gets foreign keys and a busy timeout."""
    with _lock:
        if url not in _engines:
            _engines[url] = _create(url)
        return _engines[url]


def _create(url: str) -> Engine:
    if not url.startswith("sqlite"):
        # a database host that does not answer fails the page within seconds instead of the OS's minutes
        args = {"connect_timeout": CONNECT_SECONDS} if url.startswith(("postgresql", "mysql", "mariadb")) else {}
        if url.startswith("postgresql"):
            # no JIT: the list queries' correlated subqueries look costly to the planner, which then spent 3.7 s
            # of a 3.8 s M9 list at scale 10 compiling 229 functions for a query that runs in 25 ms
            given = make_url(url).query.get("options") or ""  # e.g. a search_path in the URL: keep it
            args["options"] = " ".join([*(given if isinstance(given, tuple) else [given]), "-c jit=off"]).strip()
        return create_engine(url, pool_pre_ping=True, pool_recycle=1800, connect_args=args)
    eng = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(eng, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    return eng


def engine(name: str) -> Engine:
    """The engine of one logical database: 'monitoring', 'industry' or 'app'."""
    s = settings()
    url = {"monitoring": s.monitoring_url, "industry": s.industry_url, "app": s.app_url}[name]
    return engine_for_url(url)


def dispose(engines: list[Engine]) -> None:
    """Close and forget the given engines (their files are about to be replaced)."""
    with _lock:
        for eng in engines:
            eng.dispose()
            for url in [u for u, e in _engines.items() if e is eng]:
                del _engines[url]


def reset() -> None:
    """Dispose every engine and forget settings (tests switch data folders)."""
    with _lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()
    settings.cache_clear()
