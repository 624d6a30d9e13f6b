"""Who is asking: the caller's role and county, which every row-level query filters by in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from data_access.codes import is_code

ROLES = {"admin": "系统管理员", "office": "领导小组办公室", "county": "县(市)区", "leader": "市领导", "screen": "大屏展示"}
ROW_LEVEL = frozenset({"admin", "office", "county"})  # may read rows about people and projects
UNMASK = frozenset({"admin", "office"})  # may unmask one household at a time, with a reason


class AccessDenied(PermissionError):
    """The caller's role or county does not allow this."""


@dataclass(frozen=True)
class Scope:
    """The signed-in caller as the data layer sees it."""

    username: str
    role: str
    county: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "county" and not is_code(self.county):
            raise ValueError("a county account needs its 6-digit county code")

    @property
    def row_level(self) -> bool:
        """True when the role may read person- and project-level rows at all."""
        return self.role in ROW_LEVEL

    @property
    def can_unmask(self) -> bool:
        """True when the role may unmask personal data (audited)."""
        return self.role in UNMASK

    def sees_rows_of(self, county: str | None) -> bool:
        """True when the caller may read the rows of that county (so its small counts need no hiding)."""
        return self.row_level and (self.role != "county" or county == self.county)

    def rows_county(self, requested: str | None) -> str | None:
        """The county whose rows may be read for a request: county accounts are pinned to their own."""
        if not self.row_level:
            raise AccessDenied("该角色只能查看汇总数据,无权查看明细")
        return self.county if self.role == "county" else requested
