"""The audit log: who did what, when, from which address."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import insert, select

from data_access.db import engine
from data_access.models.app import AuditLog

ACTIONS = {
    "sign_in": "登录", "sign_in_failed": "登录失败", "sign_out": "退出", "locked": "账号锁定",
    "device_sign_in": "大屏设备登录", "session_expired": "会话超时", "unmask": "查看完整个人信息",
    "export": "导出", "import": "导入", "user_change": "用户变更", "password_change": "修改密码",
    "device_token": "大屏设备授权", "score_entry": "考核评定与加减分", "score_revoke": "撤销考核评定",
    "task_progress": "重点任务进度", "action_add": "会议议定事项", "action_followup": "议定事项跟进", "action_close": "议定事项办结",
}


def record(username: str, action: str, detail: str = "", address: str | None = None,
           at: datetime | None = None) -> None:
    """Append one audit row (its own transaction, so a failed action is still recorded)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with engine("app").begin() as conn:
        conn.execute(insert(AuditLog).values(at=at or datetime.now(), username=str(username)[:40], action=action,
                                             detail=detail[:2000], address=(address or None) and address[:60]))


def entries(*, start: date | None = None, end: date | None = None, username: str | None = None,
            action: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Audit rows newest first. Columns: at, username, action (Chinese), detail, address."""
    q = select(AuditLog.at, AuditLog.username, AuditLog.action, AuditLog.detail, AuditLog.address)
    if start:
        q = q.where(AuditLog.at >= datetime.combine(start, datetime.min.time()))
    if end:
        q = q.where(AuditLog.at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
    if username:
        q = q.where(AuditLog.username == username)
    if action:
        q = q.where(AuditLog.action == action)
    q = q.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    with engine("app").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["at", "username", "action", "detail", "address"])
    df["action"] = df["action"].map(ACTIONS).fillna(df["action"])
    return df
