"""Can each database be reached? Probes for the readiness endpoint and for the page shown when one cannot."""

from __future__ import annotations

import logging
import time

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from data_access import db
from data_access.logs import LOG

NAMES = {"monitoring": "防返贫监测数据库", "industry": "产业数据库", "app": "看板系统数据库(账号、审计与考核记录)"}


class Unavailable(RuntimeError):
    """One or more databases cannot be reached; names are keys of NAMES."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names

    def message(self) -> str:
        """The Chinese message a user sees: which database, never its host or credentials."""
        which = "、".join(NAMES[n] for n in self.names)
        return (f"{which}暂时无法连接,看板暂停显示数据。数据库恢复后刷新本页即可继续使用,无需重新启动看板;"
                "如长时间未恢复,请联系系统管理员。")


def cause(exc: BaseException) -> str:
    """The first line of the driver's own message (for the server log), bounded."""
    inner = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    return f"{type(inner).__name__}: {lines[0] if lines else ''}"[:300]


def probe(name: str) -> str | None:
    """None when the database answers a trivial query, else the cause."""
    try:
        with db.engine(name).connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as e:
        return cause(e)
    return None


def status() -> dict[str, str | None]:
    """Each database's probe result, in NAMES order."""
    return {name: probe(name) for name in NAMES}


def unreachable(exc: BaseException) -> Unavailable | None:
    """When an error is a lost or refused connection, the databases that are down, each logged on one line."""
    if isinstance(exc, Unavailable):
        return exc
    if not isinstance(exc, (DBAPIError, OSError)):
        return None
    down = {name: c for name, c in status().items() if c}
    for name, c in down.items():
        LOG.error("database unavailable: %s (%s)", name, c)
    return Unavailable(list(down)) if down else None


class Readiness:
    """Readiness for a load balancer, probed at most once per `every` seconds however often it is asked."""

    def __init__(self, every: float = 2.0):
        self.every, self._at, self._last = every, 0.0, {}

    def __call__(self) -> dict[str, str | None]:
        if time.monotonic() - self._at >= self.every:
            now = status()
            for name, c in now.items():  # one line when a database goes down or comes back, not one per probe
                if bool(c) != bool(self._last.get(name)):
                    LOG.log(logging.ERROR if c else logging.INFO, "readiness: database %s %s", name,
                            f"unavailable ({c})" if c else "available again")
            self._last, self._at = now, time.monotonic()
        return self._last
