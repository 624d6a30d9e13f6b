"""Imports through the data page: templates, reading, validation, all-or-nothing writes, batches and rollback."""

from data_access.imports.kinds import KINDS, Kind
from data_access.imports.loader import ImportFailed, Outcome, batches, rollback, run
from data_access.imports.reader import FileProblem, read
from data_access.imports.validator import Checked, Problem, check

__all__ = ["KINDS", "Checked", "FileProblem", "ImportFailed", "Kind", "Outcome", "Problem", "batches", "check", "read",
           "rollback", "run"]
