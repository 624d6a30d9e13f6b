"""The 周调度通报: facts of the week gathered from the services, a narrative written from them in the office's
register, and the same tables as a Word document (A4, bordered tables, page numbers, the county map) and .xlsx."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from assessment import board
from data_access import areas, exports, monitoring, weekly
from data_access.periods import cn_date, week_start

HEADING_FONT, BODY_FONT = "黑体", "仿宋_GB2312"  # what Word and WPS use where installed; others fall back
RANK_HEADERS = {"rank": "名次", "name": "县(市)区", "total": "总分", "grade": "等次", "change": "较上周", "gap": "与上一名差距"}
COUNT_HEADERS = {"name": "县(市)区", "overdue": "逾期未认定(户)", "decided_late": "本周超期认定(户)",
                 "pending_alerts": "预警超期未核查(条)"}
TASK_HEADERS = {"title": "重点任务", "lead_department": "牵头单位", "deadline": "完成时限", "days_over": "逾期天数",
                "percent": "最近进度(%)"}
ACTION_HEADERS = {"meeting_date": "会议日期", "decision": "议定事项", "owner": "责任单位", "due_on": "完成时限", "status": "状态",
                  "days_over": "逾期天数"}


@dataclass(frozen=True)
class Facts:
    """Everything the 通报 says, each from the query the pages use."""

    as_of: date
    before: date
    ranking: pd.DataFrame  # board.ranking
    counts: pd.DataFrame  # per county: name, overdue, decided_late, pending_alerts
    tasks: pd.DataFrame  # weekly.key_tasks
    actions: pd.DataFrame  # weekly.actions
    movers: pd.DataFrame  # weekly.movers


def facts(*, as_of: date) -> Facts:
    """The week's facts at as_of (compared with the Sunday before)."""
    before = board.previous_week(as_of)
    names = areas.regions("county")[["code", "name"]]
    stock = monitoring.stock(as_of=as_of, persons=False)[["code", "overdue"]]
    week = monitoring.flow(start=week_start(as_of), end=as_of)[["code", "decided_late"]]
    pending = monitoring.alerts_pending(as_of=as_of)[["code", "pending_alerts"]]
    counts = names.merge(stock, on="code", how="left").merge(week, on="code", how="left") \
        .merge(pending, on="code", how="left").fillna(0)
    for col in ("overdue", "decided_late", "pending_alerts"):
        counts[col] = counts[col].astype(int)
    return Facts(as_of, before, board.ranking(as_of=as_of), counts, weekly.key_tasks(as_of=as_of),
                 weekly.actions(as_of=as_of), weekly.movers(as_of=as_of, before=before, limit=3))


def _names(df: pd.DataFrame, n: int, *, col: str = "name") -> str:
    return "、".join(str(x) for x in df[col].head(n))


def narrative(f: Facts) -> list[tuple[str, str]]:
    """The 通报's sections as (heading, paragraph), every number from the facts."""
    out = []
    r = f.ranking
    up = r[r["change"].str.startswith("↑")]
    down = r[r["change"].str.startswith("↓")]
    moves = ";".join([*(f"{x.name}上升{x.change[1:]}位" for x in up.itertuples()),
                      *(f"{x.name}下降{x.change[1:]}位" for x in down.itertuples())])
    top = "、".join(f"{x.name}({x.total:.2f}分)" for x in r.head(3).itertuples())
    bottom = "、".join(f"{x.name}({x.total:.2f}分)" for x in r.tail(3).iloc[::-1].itertuples())
    out.append(("一、考核排名", f"截至{cn_date(f.as_of)},全市{len(r)}个县(市)区巩固拓展脱贫攻坚成果同乡村振兴有效衔接考核"
                f"得分排名前三位的是{top};排名后三位的是{bottom}。与上周({cn_date(f.before)})相比,"
                + (f"{moves}。" if moves else "各县(市)区名次均无变化。")))
    c = f.counts
    overdue, late, pending = int(c["overdue"].sum()), int(c["decided_late"].sum()), int(c["pending_alerts"].sum())
    worst = c.sort_values(["overdue", "code"], ascending=[False, True]).iloc[0]
    text = (f"全市逾期未认定监测对象{overdue}户" + (f",涉及{int((c['overdue'] > 0).sum())}个县(市)区,其中{worst['name']}最多"
                                             f"({int(worst['overdue'])}户)" if overdue else "") +
            f";本周作出认定但超过15天的{late}户;部门预警超过15天未核查{pending}条。")
    if overdue or late or pending:
        text += "请相关县(市)区在下周调度会前完成识别认定和预警核查,逐项销号。"
    out.append(("二、防返贫监测", text))
    t = f.tasks
    counts = weekly.task_counts(t)
    over = t[t["status"] == "逾期"].sort_values("days_over", ascending=False)
    text = (f"{f.as_of.year}年重点任务和以前年度逾期未完成的任务共{len(t)}项,其中已完成{counts['完成']}项、按期推进"
            f"{counts['按期']}项、进度滞后{counts['滞后']}项、逾期未完成{counts['逾期']}项。")
    if len(over):
        text += "逾期时间最长的是:" + ";".join(f"“{x.title}”(牵头单位{x.lead_department},逾期{int(x.days_over)}天)"
                                          for x in over.head(3).itertuples()) + "。"
    out.append(("三、重点任务推进", text))
    a = f.actions
    last = a[a["last_week"].astype(bool)]
    late_a = a[a["status"] == "逾期"]
    out.append(("四、会议议定事项落实", f"上周会议议定事项{len(last)}项,已办结{int((last['status'] == '已完成').sum())}项;"
                f"历次会议议定事项逾期未办结{len(late_a)}项"
                + (f",涉及{_names(late_a.drop_duplicates('owner'), 5, col='owner')}等单位。" if len(late_a) else "。")))
    better = f.movers[f.movers["better"]]
    worse = f.movers[~f.movers["better"].astype(bool)]
    parts = []
    if len(better):
        parts.append("进步较大的有" + "、".join(f"{x.county_name}{x.name}({x.text})" for x in better.itertuples()))
    if len(worse):
        parts.append("退步较大的有" + "、".join(f"{x.county_name}{x.name}({x.text})" for x in worse.itertuples()))
    out.append(("五、指标变化", ("与上周相比," + ";".join(parts) + "。") if parts else "与上周相比,主要考核指标没有变化。"))
    return out


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_number(paragraph) -> None:
    """「第 N 页」 in the footer, N a PAGE field Word and WPS fill in."""
    run = paragraph.add_run("第 ")
    _font(run, BODY_FONT, 10.5)
    field = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        field._element.append(el)
    _font(paragraph.add_run(" 页"), BODY_FONT, 10.5)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(doc, df: pd.DataFrame, headers: dict[str, str]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"  # single borders on every cell
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers.values(), strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
    for row in df[list(headers)].itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(_text(value)), BODY_FONT, 10.5)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def docx(f: Facts, *, map_png: bytes, map_title: str) -> bytes:
    """The 通报 as .docx: A4 portrait, title and headings in 黑体, body in 仿宋, bordered tables, the map, page
    numbers; only counts, no names of people."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.4)
    _page_number(section.footer.paragraphs[0])
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("巩固拓展脱贫攻坚成果同乡村振兴有效衔接周调度通报"), HEADING_FONT, 22)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(sub.add_run(f"(数据截至{cn_date(f.as_of)})"), BODY_FONT, 14)
    for heading, text in narrative(f):
        _font(doc.add_paragraph().add_run(heading), HEADING_FONT, 16)
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _font(p.add_run(text), BODY_FONT, 16)
    _font(doc.add_paragraph().add_run("附表1 考核排名"), HEADING_FONT, 14)
    _table(doc, f.ranking, RANK_HEADERS)
    _font(doc.add_paragraph().add_run(f"附图 {map_title}"), HEADING_FONT, 14)
    doc.add_picture(io.BytesIO(map_png), width=Cm(15.5))
    _font(doc.add_paragraph().add_run("附表2 防返贫监测逾期事项(按县汇总)"), HEADING_FONT, 14)
    _table(doc, f.counts, COUNT_HEADERS)
    over = f.tasks[f.tasks["status"] == "逾期"].sort_values("days_over", ascending=False)
    _font(doc.add_paragraph().add_run("附表3 逾期重点任务"), HEADING_FONT, 14)
    _table(doc, over, TASK_HEADERS)
    _font(doc.add_paragraph().add_run("附表4 会议议定事项"), HEADING_FONT, 14)
    _table(doc, f.actions[f.actions["status"] != "已完成"], ACTION_HEADERS)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx(f: Facts) -> bytes:
    """The 通报's tables as one workbook, a sheet each."""
    note = f"周调度通报 · 数据截至 {cn_date(f.as_of)}"
    over = f.tasks[f.tasks["status"] == "逾期"].sort_values("days_over", ascending=False)
    return exports.workbook([("考核排名", f.ranking, RANK_HEADERS, note), ("逾期事项", f.counts, COUNT_HEADERS, note),
                             ("逾期重点任务", over, TASK_HEADERS, note),
                             ("会议议定事项", f.actions[f.actions["status"] != "已完成"], ACTION_HEADERS, note)])


def map_image(f: Facts) -> tuple[bytes, str]:
    """The county map of the week's assessment totals, as PNG, and its title."""
    from geo import raster, service

    title = f"各县(市)区考核总分({cn_date(f.as_of)})"
    values = f.ranking.rename(columns={"county": "code", "total": "value"})
    return raster.county_map(service.counties(), values, title=title, better="high",
                             fmt=lambda v: "—" if pd.isna(v) else f"{v:.2f}分"), title


def build(*, as_of: date) -> dict[str, bytes]:
    """The 通报 at as_of: {'docx': ..., 'xlsx': ..., 'png': the map}."""
    f = facts(as_of=as_of)
    png, title = map_image(f)
    return {"docx": docx(f, map_png=png, map_title=title), "xlsx": xlsx(f), "png": png}
