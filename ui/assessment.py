"""The 考核排名 page's sections: score matrix, a county's lost points with the rows behind them, history, what-if,
the office's entries and the rules in force."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from data_access import areas, audit, lists
from data_access.scope import AccessDenied, Scope
from ui import alerts, auth, cache, charts, components, household

KEPT = [(0.999, "#c7e9c0"), (0.8, "#e5f5e0"), (0.5, "#fff3c4"), (0.0001, "#fdd0a2"), (-1, "#f4a6a6")]
CHANGE = {"↑": "color: #2e7d32; font-weight: 600", "↓": "color: #c62828; font-weight: 600"}
CASES = alerts.CASE_HEADERS
DRILL = {  # indicator -> (list, title, extra headers); the list's rows are those behind the points lost
    "M4": ("late_decisions", "超过15天才作出认定的监测对象", {"days": "认定用时(天)"}),
    "M5": ("overdue_cases", "逾期未认定的监测对象", {"days": "已等待天数"}),
    "M6": ("no_measure_cases", "无帮扶措施的监测对象", {"included_on": "纳入日期", "days": "纳入天数"}),
    "M7": ("unmatched_cases", "风险无对应措施的监测对象", {"unmatched": "无对应措施的风险", "measures": "已有措施"}),
    "M8": ("no_developmental_cases", "有劳动能力但无开发式帮扶的监测对象", {"able": "有劳动能力人数", "measures": "已有措施"}),
    "M9": ("violating_eliminations", "违规消除风险的监测对象", {"eliminated_on": "消除日期", "rules": "违反的规则"}),
    "M10": ("unvisited_cases", "30天内未走访的监测对象", {"last_visit": "最近走访", "days": "距今天数"}),
    "M11": ("pending_alerts", "超期未核查的部门预警", None),
    "G1": ("unsafe_housing", "住房安全问题户", None), "G2": ("dropouts", "失学辍学人员", None),
    "G3": ("uninsured", "未参加基本医保人员", None), "G4": ("unsafe_water", "饮水安全问题户", None),
    "I6": ("weak_projects", "弱质、闲置项目", None), "I7": ("weak_projects", "尚未整改盘活的弱质、闲置项目", None),
}
HOUSEHOLDS = {"township": "乡镇", "village": "村", "head_name": "户主(脱敏)", "tuopin": "类别", "checked_on": "核查日期",
              "finding": "未达标项"}
MEMBERS = {"township": "乡镇", "village": "村", "name": "姓名(脱敏)", "relation": "与户主关系", "age": "年龄", "detail": "情况"}


def _kept_colour(share: float) -> str:
    if pd.isna(share):
        return "background-color: #eeeeee"
    return "background-color: " + next(c for cut, c in KEPT if share >= cut)


def summary_line(summary: dict, *, own: bool) -> None:
    """The county's rank, total, grade and change in one large line (a county account's first sight)."""
    if not summary:
        return
    veto = f" · 一票否决:{components.md(summary['veto'])}" if summary.get("veto") else ""
    who = "本县(市)区" if own else components.md(summary["name"])
    st.markdown(f"### {who}:全市第 {int(summary['rank'])} 名 / {summary['counties']} · 总分 {summary['total']:.2f} · "
                f"等次 {summary['grade']} · 较上周 {summary['change']}{veto}")


def matrix_section(scope: Scope, as_of: date, own: str | None) -> None:
    """Counties × indicators, each cell coloured by the share of its points kept, then total, grade, rank."""
    by_cat = st.toggle("按一级指标汇总", key="asm_by_category")
    df, cols = cache.assessment("category_matrix" if by_cat else "matrix", as_of=as_of)
    lead = {"name": "县(市)区", "rank": "排名", "total": "总分", "grade": "等次", "change": "较上周", "gap": "与上一名差距"}
    heads = {c["code"]: f"{c['name']}({c['max_points']:g}分)" for c in cols}
    share_of = {c["code"]: df[f"share_{c['code']}"] for c in cols}
    view = df[["county", *lead, *heads]].rename(columns={**lead, **heads})

    def style(row):
        out = []
        for col in view.columns:
            css = ""
            key = next((k for k, h in heads.items() if h == col), None)
            if key is not None:
                css = _kept_colour(share_of[key].iloc[row.name])
            elif col == "较上周":
                css = CHANGE.get(str(row[col])[:1], "")
            if own and row["county"] == own:
                css += "; font-weight: 700; border: 2px solid #c62828"
            out.append(css)
        return out
    fmt = {h: "{:.2f}" for h in heads.values()} | {"总分": "{:.2f}", "与上一名差距": "{:.2f}"}
    st.dataframe(view.style.apply(style, axis=1).format(fmt), hide_index=True, key="asm_matrix",
                 column_order=[c for c in view.columns if c != "county"], height=38 + 35 * len(view),
                 column_config={"排名": st.column_config.NumberColumn(width="small"),
                                "县(市)区": st.column_config.TextColumn(pinned=True)})
    st.caption("单元格为该项得分,颜色表示保住的分值比例:深绿为满分,浅绿80%以上,黄50%以上,橙为部分得分,红为0分。"
               "点击列名可按该列排序。同分同名次,下一名次顺延。较上周:与上一个周日的正式排名相比。")
    components.export_button(scope, label="导出得分表(Excel,A4横向)", key="asm_matrix_export",
                             rows=lambda: view, headers={c: c for c in view.columns if c != "county"},
                             file_name=f"考核得分表_{as_of.isoformat()}.xlsx", what=f"导出考核得分表,统计时点 {as_of}",
                             note=f"县(市)区考核得分表 · 统计时点 {components.fmt_date(as_of)} · "
                                  f"规则版本 {df['rules_version'].iloc[0]}")


COUNTY_HEADERS = {"category": "一级指标", "name": "二级指标", "value_text": "数值", "target_text": "目标", "method_text": "计分方法",
                  "points": "得分", "max_points": "分值", "lost": "失分", "note": "说明"}


def county_section(scope: Scope, as_of: date, county: str) -> None:
    """A county's points lost, largest first; a row with a list behind it opens that list (in scope) below."""
    summary = cache.assessment("county_summary", as_of=as_of, county=county)
    summary_line(summary, own=county == scope.county)
    if summary:
        parts = [f"指标得分 {summary['base']:.2f}", f"加分 {summary['bonus']:g}", f"减分 {summary['deduction']:g}"]
        if summary["rank"] > 1:
            parts.append(f"与上一名相差 {summary['gap']:.2f} 分")
        st.caption(" · ".join(parts) + f" · 规则版本 {summary['rules_version']}")
    df = cache.assessment("county_view", as_of=as_of, county=county)
    view = df.assign(points=df["points"].round(2), max_points=df["max_points"].round(2), lost=df["lost"].round(2))
    event = st.dataframe(view[list(COUNTY_HEADERS)].rename(columns=COUNTY_HEADERS), hide_index=True, key="asm_county_table",
                         on_select="rerun", selection_mode="single-row", height=38 + 35 * len(view),
                         column_config={"说明": st.column_config.TextColumn(width="large")})
    st.caption("按失分从多到少排列。点选一行,查看该项失分背后的村、监测对象或项目(名单仅限本账号可查看的范围)。")
    name = components.county_names().get(county, county)
    components.export_button(scope, label="导出失分说明(Excel,A4横向)", key="asm_county_export", rows=lambda: view,
                             headers=COUNTY_HEADERS, file_name=f"考核失分说明_{name}_{as_of.isoformat()}.xlsx",
                             what=f"导出考核失分说明:{name},统计时点 {as_of}",
                             note=f"{name}考核失分说明 · 统计时点 {components.fmt_date(as_of)}")
    picked = event.selection.rows if event and event.selection else []
    if picked:
        _behind(scope, as_of, county, df.iloc[picked[0]])


def _behind(scope: Scope, as_of: date, county: str, row) -> None:
    """The rows behind one indicator's lost points."""
    st.markdown(f"**{components.md(row['name'])}:失分明细**")
    if row["lost"] <= 1e-9:
        st.caption("此项未失分。")
        return
    if row["indicator"] not in DRILL:
        st.caption(f"此项为汇总数据,请在相应专题页面查看:{components.md(row['note'] or row['method_text'])}")
        return
    if not scope.row_level or (scope.role == "county" and county != scope.county):
        st.caption("名单仅对领导小组办公室和本县(市)区账号开放;本账号只能查看汇总得分。")
        return
    name, title, extra = DRILL[row["indicator"]]
    args = _args(name, as_of, county)
    try:
        df = cache.rows(name, scope, limit=500, **args)
    except AccessDenied as e:
        st.caption(str(e))
        return
    headers = _headers(name, extra)
    if df.empty:
        st.caption("没有符合条件的记录。")
        return
    st.caption(f"{title}:共 {len(df) if len(df) < 500 else '500 以上'} 条(屏幕上最多 500 条,导出为全部)。个人信息已脱敏。")
    if name == "weak_projects":
        st.dataframe(df[[c for c in headers if c in df]].rename(columns=headers), hide_index=True, key="asm_rows")
    else:
        household.table(scope, df, headers, as_of, "asm_rows", height=min(38 + 35 * len(df), 460))
    county_name = components.county_names().get(county, county)
    components.export_button(scope, label="导出名单(Excel)", key="asm_rows_export",
                             rows=lambda: getattr(lists, name)(scope, limit=None, **args), headers=headers,
                             file_name=f"{title}_{county_name}_{as_of.isoformat()}.xlsx",
                             what=f"导出{title}名单:{county_name},统计时点 {as_of}",
                             note=f"{county_name}{title} · 统计时点 {components.fmt_date(as_of)} · 个人信息已脱敏")


def _args(name: str, as_of: date, county: str) -> dict:
    if name in ("late_decisions", "violating_eliminations"):
        extra = dict(province=areas.province()) if name == "violating_eliminations" else {}
        return dict(start=date(as_of.year, 1, 1), end=as_of, county=county, **extra)
    return dict(as_of=as_of, county=county)


def _headers(name: str, extra: dict | None) -> dict[str, str]:
    if name == "pending_alerts":
        return alerts.ALERT_HEADERS
    if name == "weak_projects":
        return alerts.PROJECT_HEADERS
    if name in ("unsafe_housing", "unsafe_water"):
        return HOUSEHOLDS
    if name in ("dropouts", "uninsured"):
        return MEMBERS
    base = {k: v for k, v in CASES.items() if k != "days"}
    return base | (extra or {})


def history_section(as_of: date, own: str | None) -> None:
    """Each county's weekly rank or total since 2021, the viewer's own highlighted."""
    df = cache.assessment("history", as_of=as_of)
    if df.empty:
        st.info("尚无历史考核记录。")
        return
    c1, c2, c3 = st.columns([1, 1, 2])
    with c1:
        what = st.segmented_control("显示", ["rank", "total"], format_func={"rank": "排名", "total": "总分"}.get,
                                    default="rank", key="asm_history_y") or "rank"
    with c2:
        span = st.segmented_control("时段", ["year", "all"], format_func={"year": "近一年", "all": "2021年以来"}.get,
                                    default="year", key="asm_history_span") or "year"
    with c3:
        mark = own or components.county(key="asm_history_mark", label="突出显示", default=None)
    if span == "year":
        df = df[df["week_end"] > as_of - timedelta(days=364)]
    fig = charts.rank_history(df, y=what, own=mark, y_title="排名" if what == "rank" else "总分")
    st.plotly_chart(fig, config=charts.CONFIG, key="asm_history_chart")
    first = df["week_end"].min()
    if span == "all" and first > date(2021, 1, 10):
        st.caption(f"已保存的考核结果从 {components.fmt_date(first)} 开始;更早各周可由管理员运行 "
                   "`python -m assessment backfill` 计算并保存(2021年以来约需数分钟)。")
    versions = df.groupby("rules_version")["week_end"].agg(["min", "max"]).reset_index()
    st.caption("每周日的正式考核结果,计算后保存,不随此后规则调整而改变。所用规则:" + ";".join(
        f"{r.rules_version}版({r.min}至{r.max})" for r in versions.itertuples()) + "。")


def whatif_section(as_of: date) -> None:
    """Weights and targets changed on the page, the ranking that would result beside the official one."""
    st.warning("模拟测算:调整分值和目标后的排名仅供研究,不是正式考核结果,不保存、不进入历史。", icon=":material/science:")
    facts, _ = cache.assessment("rules_table", as_of=as_of)
    edited = st.data_editor(cache.assessment("rules_rows", as_of=as_of), hide_index=True, key="asm_whatif_editor",
                            disabled=["code", "category", "name", "unit"],
                            column_config={"code": "代码", "category": "一级指标", "name": "二级指标", "unit": "单位",
                                           "weight": st.column_config.NumberColumn("分值", min_value=0.0, step=0.5),
                                           "target": st.column_config.NumberColumn("目标(比率填小数)", step=0.01),
                                           "floor": st.column_config.NumberColumn("不得分线(达标线计分)", step=0.01)})
    weights = {r.code: float(r.weight) for r in edited.itertuples() if pd.notna(r.weight)}
    targets = {r.code: float(r.target) for r in edited.itertuples() if pd.notna(r.target)}
    floors = {r.code: float(r.floor) for r in edited.itertuples() if pd.notna(r.floor)}
    st.caption(f"分值合计 {sum(weights.values()):g}(须为100)。一级指标分值为其二级指标之和。规则版本 {facts['version']}。")
    result, error = cache.simulate(as_of, weights, targets, floors)
    if error:
        st.error(f"模拟规则有误:{error}")
        return
    view = result.rename(columns={"name": "县(市)区", "official_rank": "正式排名", "official_total": "正式总分",
                                  "rank": "模拟排名", "total": "模拟总分", "grade": "模拟等次", "moved": "名次变化"})
    st.dataframe(view.drop(columns=["county"]).style.format({"正式总分": "{:.2f}", "模拟总分": "{:.2f}"}),
                 hide_index=True, key="asm_whatif_result",
                 column_order=["县(市)区", "正式排名", "正式总分", "模拟排名", "模拟总分", "模拟等次", "名次变化"])


FLASH = "asm_flash"
ENTRY_HEADERS = {"id": "编号", "name": "县(市)区", "kind_text": "类别", "item": "指标或事项", "points": "分值",
                 "reason": "理由", "effective_on": "生效日期", "created_by": "录入人", "state": "状态"}


def entries_section(scope: Scope, data_date: date) -> None:
    """The office's manual scores, bonuses, deductions and vetoes: listed for all, entered and withdrawn by the
    office (audited); they count from the data date on, finished weeks keep their scores."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
    df = cache.assessment("entries_table", year=data_date.year)
    st.dataframe(df[list(ENTRY_HEADERS)].rename(columns=ENTRY_HEADERS), hide_index=True, key="asm_entries",
                 height=min(38 + 35 * max(len(df), 1), 400))
    if scope.role not in ("office", "admin"):
        st.caption("评定计分、加减分和一票否决由领导小组办公室录入。")
        return
    choices = cache.assessment("entry_choices", as_of=data_date)
    names = components.county_names()
    with st.form("asm_entry_form", clear_on_submit=True):
        st.markdown(f"**录入**(自 {components.fmt_date(data_date)} 起计入本年度考核;已完成的周不变)")
        c1, c2, c3, c4 = st.columns([2, 2, 3, 1])
        county = c1.selectbox("县(市)区", list(names), format_func=names.get, key="asm_entry_county")
        kind = c2.selectbox("类别", ["manual", "bonus", "deduction", "veto"], key="asm_entry_kind",
                            format_func=lambda k: {"manual": "评定计分", "bonus": f"加分(合计上限{choices['caps']['bonus']}分)",
                                                   "deduction": f"减分(合计上限{choices['caps']['deduction']}分)",
                                                   "veto": "一票否决"}[k])
        options = {**choices["manual"], **choices["veto"]}
        item = c3.selectbox("指标或事项(评定计分、一票否决时选择)", [None, *options], key="asm_entry_item",
                            format_func=lambda k: "—" if k is None else options[k])
        points = c4.number_input("分值", min_value=0.0, max_value=100.0, step=0.5, key="asm_entry_points")
        reason = st.text_input("理由(必填,显示在得分说明中)", max_chars=300, key="asm_entry_reason")
        if st.form_submit_button("保存"):
            _save(scope, county, kind, item, points, reason, data_date)
    live = df[df["state"] == "有效"]
    if len(live):
        c1, c2 = st.columns([3, 1])
        pick = c1.selectbox("撤销一条有效记录", [None, *live["id"]], key="asm_revoke_pick",
                            format_func=lambda i: "—" if i is None else _entry_label(live, i))
        if c2.button("撤销", key="asm_revoke", disabled=pick is None):
            from assessment import board

            board.revoke(entry_id=int(pick), username=scope.username, data_date=data_date)
            audit.record(scope.username, "score_revoke", _entry_label(live, pick), auth.address())
            cache.assessment.clear()
            st.rerun()


def _entry_label(df: pd.DataFrame, entry_id: int) -> str:
    r = df[df["id"] == entry_id].iloc[0]
    return f"#{r['id']} {r['name']} {r['kind_text']} {r['item']} {r['points']:g}分:{r['reason']}"


def _save(scope: Scope, county: str, kind: str, item: str | None, points: float, reason: str, data_date: date) -> None:
    from assessment import board

    try:
        entry = board.enter(county=county, kind=kind, points=points, reason=reason, indicator=item,
                            username=scope.username, data_date=data_date)
    except ValueError as e:
        st.error(str(e))
        return
    audit.record(scope.username, "score_entry", f"#{entry} {county} {kind} {item or ''} {points:g}分:{reason.strip()}",
                 auth.address())
    cache.assessment.clear()
    st.session_state[FLASH] = "已保存,并已重新计算本周得分。"
    st.rerun()


def rules_section(as_of: date) -> None:
    """The rules in force as the office's own table, with version, date and file fingerprint."""
    facts, table = cache.assessment("rules_table", as_of=as_of)
    st.markdown(f"**规则版本 {facts['version']}**,{facts['effective_from']}起施行(文件 assets/rules/{facts['file']},"
                f"SHA-256 {facts['sha256'][:16]}…)")
    st.caption(f"等次:{facts['grades']}。一票否决:{facts['veto']}。加分上限 {facts['bonus']:g} 分,减分上限 "
               f"{facts['deductions']:g} 分。全部版本:{facts['versions']}。规则调整须以新版本文件提交、经审核后施行,"
               "施行前已完成的周不重新计分。")
    headers = {"category": "一级指标", "code": "代码", "name": "二级指标", "weight": "分值", "standard": "评价标准",
               "scoring": "计分条件", "method": "计分方法", "target": "目标", "zero_denominator": "无考核对象时",
               "source": "数据来源", "department": "考核部门"}
    st.dataframe(table[list(headers)].rename(columns=headers), hide_index=True, key="asm_rules",
                 height=38 + 35 * len(table))


def own_rank(scope: Scope, as_of: date) -> None:
    """For a county account on the overview and the map: its current rank and grade, and the way to the details."""
    if scope.role != "county":
        return
    try:
        s = cache.assessment("county_summary", as_of=as_of, county=scope.county)
    except Exception:  # noqa: BLE001 - a broken rules file must not take the overview down; /assessment says why
        return
    if not s:
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**本县考核:全市第 {int(s['rank'])} 名 / {s['counties']} · 总分 {s['total']:.2f} · 等次 {s['grade']}"
                    f" · 较上周 {s['change']}**")
        st.page_link("views/assessment.py", label="查看失分说明", icon=":material/leaderboard:")
