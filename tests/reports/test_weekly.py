"""The 周调度通报 on the fixture (SQLite, PostgreSQL, MariaDB): its numbers are the queries' numbers, the Word file
opens with its tables, map and page numbers, and the map's Chinese is drawn in a font that has it."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image, ImageDraw, ImageFont

from assessment import board
from data_access import monitoring, weekly
from geo import raster
from reports import weekly as report
from tests.data_access.conftest import backend  # noqa: F401 - the fixture
from tests.data_access.fixture import D


@pytest.fixture()
def facts(backend):  # noqa: F811 - the fixture
    return report.facts(as_of=D)


def test_the_narrative_says_what_the_queries_say(facts):
    text = dict(report.narrative(facts))
    ranking = board.ranking(as_of=D)
    first = ranking.iloc[0]
    assert f"前三位的是{first['name']}({first['total']:.2f}分)" in text["一、考核排名"]
    overdue = int(monitoring.stock(as_of=D)["overdue"].sum())
    pending = int(monitoring.alerts_pending(as_of=D)["pending_alerts"].sum())
    assert f"全市逾期未认定监测对象{overdue}户" in text["二、防返贫监测"]
    assert f"部门预警超过15天未核查{pending}条" in text["二、防返贫监测"]
    counts = weekly.task_counts(weekly.key_tasks(as_of=D))  # 完成 3, 逾期 2, 滞后 2 by hand (test_weekly.py)
    assert counts == {"逾期": 2, "滞后": 2, "按期": 0, "完成": 3}
    assert "共7项,其中已完成3项、按期推进0项、进度滞后2项、逾期未完成2项" in text["三、重点任务推进"]
    assert "“任务6”(牵头单位部门6,逾期18天)" in text["三、重点任务推进"]  # the longest overdue first
    assert text["四、会议议定事项落实"].startswith("上周会议议定事项0项")


def test_the_word_document_opens_with_its_tables_map_and_page_numbers(facts):
    png, title = report.map_image(facts)
    doc = Document(io.BytesIO(report.docx(facts, map_png=png, map_title=title)))
    assert [t.rows[0].cells[0].text for t in doc.tables] == ["名次", "县(市)区", "重点任务", "会议日期"]
    assert len(doc.tables[0].rows) == 1 + len(facts.ranking) and doc.tables[0].style.name == "Table Grid"
    assert len(doc.inline_shapes) == 1
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert "PAGE" in section.footer._element.xml and "第 " in section.footer.paragraphs[0].text
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.text == "巩固拓展脱贫攻坚成果同乡村振兴有效衔接周调度通报"
    assert 'w:eastAsia="黑体"' in title_run._element.xml
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "一、考核排名" in body and "附表2 防返贫监测逾期事项(按县汇总)" in body
    assert "户主" not in body and all("户主" not in c.text for t in doc.tables for r in t.rows for c in r.cells)
    wb = load_workbook(io.BytesIO(report.xlsx(facts)))
    assert wb.sheetnames == ["考核排名", "逾期事项", "逾期重点任务", "会议议定事项"]


def _tofu(font) -> bytes:
    return _draw(font, "\u0378")  # an unassigned code point: the font's missing-glyph box


def _draw(font, ch: str) -> bytes:
    img = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(img).text((4, 4), ch, font=font, fill=255)
    return img.tobytes()


@pytest.mark.parametrize("which", ["found", "shipped"])
def test_the_map_writes_chinese_in_a_font_that_has_it(facts, which):
    path, index = raster.font_path() if which == "found" else (str(raster.SHIPPED), 0)
    font = ImageFont.truetype(path, 40, index=index)
    names = "".join(facts.ranking["name"]) + "各县(市)区考核总分年月日图例颜色越深数值大好灰色为无数据最低高分"
    box = _tofu(font)
    missing = [ch for ch in set(names) if ch.strip() and _draw(font, ch) == box]
    assert missing == [], f"{path} has no glyph for {missing}"
    png, _ = report.map_image(facts)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size == (1400, 1100)
