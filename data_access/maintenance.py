"""Database upkeep after bulk writes: the query planner's statistics."""

from __future__ import annotations

from sqlalchemy import Engine, inspect


def update_statistics(eng: Engine, tables: list[str] | None = None) -> list[str]:
    """Refresh planner statistics after a bulk load (the seeder, every import): on PostgreSQL straight after a
    load, the case list filtered by status in one county took 10.6 s at scale 10 with a plan built on empty-table
    estimates, 53 ms after ANALYZE. PostgreSQL and MariaDB/MySQL only (SQLite plans without statistics, and its
    page timings are measured that way). Table names come from the database itself, quoted by the dialect.
    Returns the tables analysed."""
    name = eng.dialect.name
    if name not in ("postgresql", "mysql", "mariadb"):
        return []
    names = sorted(set(tables or inspect(eng).get_table_names()) & set(inspect(eng).get_table_names()))
    if not names:
        return []
    quoted = ", ".join(eng.dialect.identifier_preparer.quote(t) for t in names)
    with eng.begin() as conn:
        if name == "postgresql":
            conn.exec_driver_sql(f"ANALYZE {quoted}")
        else:
            conn.exec_driver_sql(f"ANALYZE TABLE {quoted}").fetchall()  # answers one row per table
    return names
