"""The import step of `make bench` (bench/imports.py), run small: its workbook, its figures, an idempotent re-import."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from bench import imports
from bench.run import env_for
from data_access.imports import KINDS
from data_access.imports.fields import to_id
from tests.conftest import using

KEYS = {"rows", "read_s", "check_s", "write_s", "total_s", "peak_rss_mb", "reimport_s", "rollback_s"}


def test_head_ids_are_valid_and_new():
    taken = set(imports.head_ids(3, set()))
    fresh = imports.head_ids(1005, taken)
    assert len(set(fresh)) == 1005 and not taken & set(fresh)
    assert all(to_id(n) == n for n in fresh)  # GB 11643, as the import checks them


def test_a_small_import_through_the_bench(demo_dir, tmp_path):
    folder = Path(shutil.copytree(demo_dir, tmp_path / "data"))  # the import writes batches and the change log
    with using(DASHBOARD_DATA_DIR=str(folder)):
        imports.build(tmp_path / "book.xlsx", 5)
    ws = load_workbook(tmp_path / "book.xlsx", read_only=True).worksheets[0]
    rows = list(ws.values)
    assert ws.title == KINDS["household"].title and rows[0] == tuple(f.header for f in KINDS["household"].fields)
    assert len(rows) == 6 and all(isinstance(r[2], str) and len(r[2]) == 18 for r in rows[1:])

    figures = imports.measure(env_for(folder), rows=300, say=lambda m: None)["import"]
    assert KEYS <= set(figures), figures
    assert figures["rows"] == figures["inserted"] == 300
    assert (figures["reimport_inserted"], figures["reimport_updated"], figures["reimport_unchanged"]) == (0, 0, 300)
    assert figures["rolled_back"] == 300
    assert all(figures[k] > 0 for k in KEYS)
    assert figures["total_s"] >= figures["read_s"] + figures["check_s"]
    assert figures["peak_rss_mb"] >= figures["base_rss_mb"] > 50
    imports.report({"import": figures})
