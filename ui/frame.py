"""The frame every page shares: data present (seeding on first start) and the sidebar."""

from __future__ import annotations

import streamlit as st

from data_access import bootstrap
from ui import cache
from ui.components import data_date, fmt_date

APP_TITLE = "乡村振兴衔接监测考核看板"


def ensure_data() -> None:
    """Stop the page until data exists; on a first start, seed the demo data with a progress bar."""
    if bootstrap.has_data():
        return
    if not bootstrap.uses_default_files():
        st.error("已配置的监测数据库中没有数据。请先导入数据,或检查 MONITORING_DB_URL 等数据库连接设置。")
        st.stop()
    st.title(APP_TITLE)
    st.info("首次启动:正在生成演示数据(绥化市,2021年1月至今),约需一分钟,请稍候……")
    bar = st.progress(0.0, text="准备中")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(fraction, 1.0), text=message)
        bootstrap.terminal_progress(fraction, message)

    bootstrap.seed_demo(progress=progress, only_if_missing=True)
    cache.clear()
    st.rerun()


def sidebar() -> None:
    """App name, city, data date and the demo badge in the sidebar."""
    info = cache.dataset_info()
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        counties = cache.regions("city")
        city = counties["name"].iat[0] if not counties.empty else ""
        st.caption(f"{city}乡村振兴领导小组办公室 · 数据截至 {fmt_date(data_date())}")
        if info.get("source") == "demo":
            st.badge("演示数据", icon=":material/science:", color="orange")
