"""The data page's import and batch tabs: template, upload, check, preview, confirm; the batches and rollback."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access import exports, imports, masking
from data_access.imports import templates
from data_access.imports.kinds import KINDS
from data_access.scope import Scope
from ui import auth, cache, components

PREVIEW = 20
MASKS = {"head_name": masking.name, "name": masking.name, "first_secretary": masking.name, "head_id": masking.id_number,
         "head_id_number": masking.id_number, "id_number": masking.id_number, "person_id": masking.id_number,
         "person_id_number": masking.id_number, "phone": masking.phone}
COUNTY_KINDS = [k for k in KINDS if KINDS[k].database != "app"]  # key-task progress is the office's


@dataclass(frozen=True)
class Upload:
    """A checked upload kept in the session: the file, and what the check found."""

    kind: str
    name: str
    digest: str
    data: bytes
    checked: imports.Checked | None
    error: str | None


def kinds_for(scope: Scope) -> list[str]:
    """The tables this account may import."""
    return COUNTY_KINDS if scope.role == "county" else list(KINDS)


def import_tab(scope: Scope) -> None:
    """Pick a table, download its template, upload a file; the check runs once per file and nothing is written
    until the confirm button."""
    county = scope.county if scope.role == "county" else None
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    key = left.selectbox("导入类型", kinds_for(scope), format_func=lambda k: KINDS[k].title, key="imp_kind")
    kind = KINDS[key]
    right.download_button("下载导入模板", data=cache.template(key), file_name=f"{kind.title}导入模板.xlsx", mime=exports.XLSX,
                          key="imp_template", icon=":material/download:", on_click="ignore")
    if kind.note:
        st.caption(kind.note)
    if county:
        st.caption(f"县级账号只能导入本县(市)区的数据({components.county_names().get(county, county)})。")
    file = st.file_uploader("上传填好的模板(.xlsx)", key=f"imp_file_{key}", help="只接受 Excel 工作簿(.xlsx);"
                            ".xls、CSV 请先在 Excel/WPS 中另存为 .xlsx。公式单元格按其计算结果读取。")
    if file is None:
        return
    up = _checked(scope, key, file.name, file.getvalue(), county)
    if up.error:
        st.error(components.md(up.error), icon=":material/error:")  # it names the file: the user's text
        return
    _result(scope, up, county)


def _checked(scope: Scope, key: str, name: str, data: bytes, county: str | None) -> Upload:
    digest = hashlib.sha256(data).hexdigest()
    held = st.session_state.get("imp_upload")
    if isinstance(held, Upload) and (held.kind, held.digest, held.name) == (key, digest, name):
        return held
    with st.spinner("正在检查文件……"):
        try:
            sheet = imports.read(data, name, KINDS[key])
            up = Upload(key, name, digest, data, imports.check(KINDS[key], sheet, county=county), None)
        except imports.FileProblem as exc:
            up = Upload(key, name, digest, data, None, str(exc))
    st.session_state["imp_upload"] = up
    st.session_state.pop("imp_done", None)
    return up


def _result(scope: Scope, up: Upload, county: str | None) -> None:
    checked = up.checked
    sheet = checked.sheet
    notes = [f"工作表“{sheet.name}”,表头在第{sheet.header_row}行,数据 {len(sheet.frame):,} 行"]
    if sheet.dropped_total:
        notes.append(f"第{sheet.dropped_total}行是合计行,已略过")
    if sheet.extra:
        notes.append("模板外的列已忽略:" + "、".join(sheet.extra[:8]))
    st.caption(components.md(";".join(notes) + "。"))
    if checked.problems:
        problems = checked.problem_frame()
        st.error(f"发现 {len(problems):,} 处错误,未导入任何数据。请按下表(或下载的错误报告,错误单元格已标红)改正后重新上传。",
                 icon=":material/error:")
        st.dataframe(problems, hide_index=True, height=min(420, 38 + 35 * len(problems)), key="imp_problems",
                     column_config={"工作表": st.column_config.TextColumn(width="small"),
                                    "行": st.column_config.NumberColumn(width="small"),
                                    "单元格": st.column_config.TextColumn(width="small"),
                                    "原因": st.column_config.TextColumn(width="large")})
        components.document_button(scope, label="下载错误报告(.xlsx)", key="imp_report",
                                   build=lambda: templates.error_report(up.data, sheet.name, problems),
                                   file_name=f"{up.name.rsplit('.', 1)[0]}_错误报告.xlsx", mime=exports.XLSX,
                                   what=f"导入错误报告({KINDS[up.kind].title}“{up.name}”,{len(problems)} 处)")
        return
    done = st.session_state.get("imp_done")
    if isinstance(done, tuple) and done[0] == up.digest:
        st.success(done[1], icon=":material/check_circle:")
        return
    st.success(f"检查通过:共 {len(checked.rows):,} 行,可以导入。下面是前 {min(PREVIEW, len(checked.rows))} 行(个人信息已脱敏)。",
               icon=":material/check_circle:")
    st.dataframe(preview(up.kind, sheet.frame.head(PREVIEW), checked), hide_index=False, key="imp_preview")
    if st.button("确认导入", type="primary", key="imp_go", icon=":material/upload:"):
        bar = st.progress(0.0, text="正在导入……")
        try:
            out = imports.run(checked, data=up.data, filename=up.name, username=scope.username, county=county,
                              address=auth.address(), progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        except imports.ImportFailed as exc:
            bar.empty()
            st.error(str(exc), icon=":material/error:")
            return
        cache.clear()
        message = (f"导入完成(批次 {out.batch_id}):新增 {out.inserted:,} 行,更新 {out.updated:,} 行,"
                   f"与库中相同 {out.unchanged:,} 行,用时 {out.seconds:.1f} 秒。各页面数据已刷新。")
        st.session_state["imp_done"] = (up.digest, message)
        bar.empty()
        st.success(message, icon=":material/check_circle:")


def preview(kind: str, raw: pd.DataFrame, checked: imports.Checked) -> pd.DataFrame:
    """The first rows as read (formatted), personal data masked, with the template's headers."""
    k = KINDS[kind]
    typed = {}
    for f in k.fields:
        if f.name not in raw.columns:
            continue
        values = checked.rows[f.name] if f.name in checked.rows.columns else raw[f.name]
        values = values.reindex(raw.index)
        mask = MASKS.get(f.name)
        typed[checked.sheet.headers.get(f.name, f.header)] = [
            "" if v is None or v != v else (mask(str(v)) if mask else _shown(v)) for v in values]
    return pd.DataFrame(typed, index=pd.Index(raw.index, name="行"))


def _shown(v) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return str(v)


def batches_tab(scope: Scope) -> None:
    """Every import batch (a county its own), and rolling one back as a whole."""
    county = scope.county if scope.role == "county" else None
    if "imp_undone" in st.session_state:
        st.success(st.session_state.pop("imp_undone"), icon=":material/check_circle:")
    df = imports.batches(county=county)
    if df.empty:
        st.info("还没有导入过数据。")
        return
    shown = df.assign(sha=df["sha256"].fillna("").str[:12], at=df["at"].dt.strftime("%Y-%m-%d %H:%M"))
    st.dataframe(shown, hide_index=True, key="imp_batches", column_order=[
        "id", "at", "username", "title", "filename", "rows", "inserted", "updated", "unchanged", "status", "sha"],
        column_config={"id": "批次", "at": "时间", "username": "账号", "title": "类型", "filename": "文件",
                       "rows": "行数", "inserted": "新增", "updated": "更新", "unchanged": "未变", "status": "状态",
                       "sha": "SHA-256(前12位)"})
    active = df[df["status"] == "已导入"]
    if active.empty:
        return
    with st.container(border=True):
        st.markdown("**撤销一个批次**:该批次新增的行被删除,被它改过的行恢复原值;后来的批次又改过同一行时不能撤销。")
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        pick = left.selectbox("批次", active["id"].tolist(), key="imp_undo_pick", format_func=lambda i: _label(active, i))
        sure = right.checkbox("确认撤销", key="imp_undo_sure")
        if st.button("撤销该批次", key="imp_undo", disabled=not sure, icon=":material/undo:"):
            try:
                n = imports.rollback(int(pick), username=scope.username, county=county, address=auth.address())
            except imports.ImportFailed as exc:
                st.error(str(exc), icon=":material/error:")
                return
            cache.clear()
            st.session_state["imp_undone"] = f"批次 {pick} 已撤销,还原 {n:,} 处改动;各页面数据已刷新。"
            st.rerun()


def _label(df: pd.DataFrame, batch: int) -> str:
    row = df[df["id"] == batch].iloc[0]
    return f"{batch} · {row['title']} · {row['filename']} · {row['at']:%m-%d %H:%M}"
