"""Region codes (统计用区划代码): county 6 digits, township 9, village 12."""

from __future__ import annotations


def is_code(value: object, length: int = 6) -> bool:
    """True for a string of exactly `length` ASCII digits (full-width or superscript digits are refused)."""
    return isinstance(value, str) and len(value) == length and value.isascii() and value.isdigit()
