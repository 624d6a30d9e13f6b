"""App database: users, audit, imports, key tasks, meeting actions, assessment snapshots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Double, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data_access.models.changes import change_table


class AppBase(DeclarativeBase):
    """Declarative base of the app database."""


class User(AppBase):
    """A local account."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))  # admin office county leader screen
    county_code: Mapped[str | None] = mapped_column(String(6))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    display_name: Mapped[str | None] = mapped_column(String(40))
    sso_subject: Mapped[str | None] = mapped_column(String(200), unique=True)  # e-mail or OIDC subject


class SignInFailure(AppBase):
    """Failed sign-ins from one address in the current window (the per-address limit)."""

    __tablename__ = "sign_in_failure"
    address: Mapped[str] = mapped_column(String(60), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime)
    count: Mapped[int] = mapped_column(Integer)


class AccountFailure(AppBase):
    """Failed sign-ins of one account from one address in the current window, and that pair's lock: one person's
    typos lock only that person's device ("" when there is no address), not colleagues sharing the account."""

    __tablename__ = "account_failure"
    __table_args__ = (UniqueConstraint("user_id", "address"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(60))
    window_start: Mapped[datetime] = mapped_column(DateTime)
    count: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class AuthToken(AppBase):
    """A sign-in token, stored only as a hash: handoff (one use), session (idle expiry) or device."""

    __tablename__ = "auth_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # handoff session device
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(60))  # a device's label
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    address: Mapped[str | None] = mapped_column(String(60))
    browser_hash: Mapped[str | None] = mapped_column(String(64))  # a handoff: SHA-256 of the browser's cookie


class AuditLog(AppBase):
    """Who did what, when, from where."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(60))


class ImportBatch(AppBase):
    """One import through the data page."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # 导入中 已导入 失败 已撤销
    message: Mapped[str | None] = mapped_column(Text)
    database: Mapped[str | None] = mapped_column(String(12))  # monitoring / industry / app: where its change log is
    sha256: Mapped[str | None] = mapped_column(String(64))
    county_code: Mapped[str | None] = mapped_column(String(6))  # a county account's batch; None: the office's
    inserted: Mapped[int | None] = mapped_column(Integer)
    updated: Mapped[int | None] = mapped_column(Integer)
    unchanged: Mapped[int | None] = mapped_column(Integer)
    since: Mapped[date | None] = mapped_column(Date)  # earliest date it touched: summaries refreshed from there
    counties: Mapped[str | None] = mapped_column(String(200))  # comma-separated: whose summaries it changed
    rolled_back_at: Mapped[datetime | None] = mapped_column(DateTime)
    rolled_back_by: Mapped[str | None] = mapped_column(String(40))


class KeyTask(AppBase):
    """An annual key task (重点任务) decomposed from a section of the plan."""

    __tablename__ = "key_task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    plan_section: Mapped[str] = mapped_column(String(60))  # e.g. 二(一)2 健全防止返贫动态监测和帮扶机制
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(20))
    lead_department: Mapped[str] = mapped_column(String(30))
    counties: Mapped[str] = mapped_column(String(100))  # comma-separated county codes, or 全市
    deadline: Mapped[date] = mapped_column(Date)
    target: Mapped[str] = mapped_column(String(120))
    completed_on: Mapped[date | None] = mapped_column(Date)


class TaskProgress(AppBase):
    """A weekly progress report of a key task."""

    __tablename__ = "task_progress"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("key_task.id"), index=True)
    week_end: Mapped[date] = mapped_column(Date)
    percent: Mapped[float] = mapped_column(Double)
    note: Mapped[str] = mapped_column(String(200))
    reported_by: Mapped[str | None] = mapped_column(String(40))
    reported_at: Mapped[datetime | None] = mapped_column(DateTime)


class MeetingAction(AppBase):
    """A decision of the weekly meeting with an owner and a due date."""

    __tablename__ = "meeting_action"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_date: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(40))
    owner_county: Mapped[str | None] = mapped_column(String(6))  # a county that owns it (its account sees it)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(6))  # 进行中 已完成 逾期
    closed_on: Mapped[date | None] = mapped_column(Date)


class ActionFollowup(AppBase):
    """A follow-up note on a meeting action."""

    __tablename__ = "action_followup"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("meeting_action.id"), index=True)
    at: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200))
    evidence: Mapped[str | None] = mapped_column(String(300))
    created_by: Mapped[str | None] = mapped_column(String(40))


class AssessmentEntry(AppBase):
    """A score the office enters with a reason: a manual indicator's points, a bonus, a deduction or a veto."""

    __tablename__ = "assessment_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # manual bonus deduction veto
    indicator: Mapped[str | None] = mapped_column(String(10))  # manual: the rule's code; veto: the veto's name
    points: Mapped[float] = mapped_column(Double)
    reason: Mapped[str] = mapped_column(String(300))
    effective_on: Mapped[date] = mapped_column(Date)  # counts from this date to the end of its year
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(40))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class ScoreSnapshot(AppBase):
    """One county and indicator of a finished week, as scored then (kept: a later rules change never rewrites it)."""

    __tablename__ = "assessment_score"
    __table_args__ = (UniqueConstraint("week_end", "county_code", "indicator"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week_end: Mapped[date] = mapped_column(Date, index=True)
    county_code: Mapped[str] = mapped_column(String(6))
    category: Mapped[str] = mapped_column(String(40))
    indicator: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(60))
    numerator: Mapped[float | None] = mapped_column(Double)
    denominator: Mapped[float | None] = mapped_column(Double)
    value: Mapped[float | None] = mapped_column(Double)
    target: Mapped[float | None] = mapped_column(Double)
    method: Mapped[str] = mapped_column(String(20))  # attainment, threshold, ... (DESIGN.md §4.1)
    method_text: Mapped[str | None] = mapped_column(String(100))  # the method in words, with its numbers
    points: Mapped[float] = mapped_column(Double)
    max_points: Mapped[float] = mapped_column(Double)
    note: Mapped[str] = mapped_column(Text)
    rules_version: Mapped[str] = mapped_column(String(20))


class TotalSnapshot(AppBase):
    """One county's total, grade and rank of a finished week, with the rules version used."""

    __tablename__ = "assessment_total"
    __table_args__ = (UniqueConstraint("week_end", "county_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week_end: Mapped[date] = mapped_column(Date, index=True)
    county_code: Mapped[str] = mapped_column(String(6))
    base: Mapped[float] = mapped_column(Double)
    bonus: Mapped[float] = mapped_column(Double)
    deduction: Mapped[float] = mapped_column(Double)
    total: Mapped[float] = mapped_column(Double)
    grade: Mapped[str] = mapped_column(String(4))
    rank: Mapped[int] = mapped_column(Integer)
    veto: Mapped[str] = mapped_column(String(100))
    rules_version: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[datetime] = mapped_column(DateTime)


ImportChange = change_table(AppBase.metadata)
