"""The import change log: what each import batch inserted or overwrote, kept beside the data it changed so that
the write and its log commit together, and a batch can be rolled back as a whole."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text


def change_table(metadata: MetaData) -> Table:
    """import_change in one database: batch_id, table_name, op (insert/update/delete), row_key and before (JSON)."""
    return Table(
        "import_change", metadata,
        Column("id", Integer, primary_key=True),
        Column("batch_id", Integer, nullable=False, index=True),
        Column("table_name", String(40), nullable=False),
        Column("op", String(6), nullable=False),
        Column("row_key", Text, nullable=False),  # the row's primary key as JSON
        Column("before", Text),  # the row before the batch as JSON; null for an insert
    )
