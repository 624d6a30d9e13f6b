"""Masking of personal data: 张*明, 231202********1234, 138****1234."""

from __future__ import annotations


def name(value: str | None) -> str:
    """Keep the first and last character of a name: 张三 -> 张*, 张小明 -> 张*明."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def id_number(value: str | None) -> str:
    """Keep the first 6 and the last 4 characters of an ID number."""
    if not value:
        return ""
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else "*" * len(value)


def phone(value: str | None) -> str:
    """Keep the first 3 and the last 4 digits of a phone number of 11 or more characters (at least four
    stay hidden); a shorter one (a 7- or 8-digit landline) is masked entirely."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)
