"""The registered pages, which roles may open each, and the navigation a signed-in role sees."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from data_access.accounts import Account
from data_access.scope import ROLES

ALL = frozenset(ROLES)


@dataclass(frozen=True)
class PageSpec:
    """One page: its file, URL path, title and the roles that may open it."""

    key: str
    path: str
    title: str
    icon: str
    url_path: str
    roles: frozenset[str]
    section: str


PAGES = [
    PageSpec("overview", "views/overview.py", "总览", ":material/dashboard:", "", ALL - {"screen"}, "监测总览"),
    PageSpec("map", "views/map.py", "县域地图", ":material/map:", "map", ALL - {"screen"}, "监测总览"),
    PageSpec("monitoring", "views/monitoring.py", "防返贫监测", ":material/health_and_safety:", "monitoring",
             ALL - {"screen"}, "专题"),
    PageSpec("ovop", "views/ovop.py", "一村一品", ":material/agriculture:", "ovop", ALL - {"screen"}, "专题"),
    PageSpec("collective", "views/collective.py", "村级集体经济", ":material/account_balance:", "collective",
             ALL - {"screen"}, "专题"),
    PageSpec("projects", "views/projects.py", "产业项目与资产", ":material/factory:", "projects", ALL - {"screen"}, "专题"),
    PageSpec("services", "views/services.py", "基础设施与公共服务", ":material/home_work:", "services", ALL - {"screen"},
             "专题"),
    PageSpec("assessment", "views/assessment.py", "考核排名", ":material/leaderboard:", "assessment", ALL - {"screen"},
             "考核"),
    PageSpec("weekly", "views/weekly.py", "周调度", ":material/event_note:", "weekly", ALL - {"screen"}, "考核"),
    PageSpec("screen", "views/screen.py", "大屏", ":material/tv:", "screen", frozenset({"screen", "admin", "office", "leader"}),
             "考核"),
    PageSpec("data", "views/data.py", "数据导入与质量", ":material/upload_file:", "data",
             frozenset({"admin", "office", "county"}), "系统"),
    PageSpec("admin", "views/admin.py", "系统管理", ":material/admin_panel_settings:", "admin",
             frozenset({"admin"}), "系统"),
]
BY_KEY = {p.key: p for p in PAGES}


def allowed(key: str, role: str) -> bool:
    """True when the role may open the page."""
    return role in BY_KEY[key].roles


def navigation(account: Account | None):
    """Every page is registered (so any URL reaches its own access check); only allowed ones are listed."""
    sections: dict[str, list] = {}
    for p in PAGES:
        visible = account is not None and account.role in p.roles
        page = st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path or None,
                       default=p.key == "overview", visibility="visible" if visible else "hidden")
        sections.setdefault(p.section if visible else "", []).append(page)
    return st.navigation(sections, position="sidebar" if account else "hidden")
