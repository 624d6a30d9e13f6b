"""数据导入与质量: Excel templates and validated all-or-nothing imports, the import batches with rollback, and the
data's freshness, rule breaks and completeness."""

import streamlit as st

from ui import components, frame, imports, quality

SECTIONS = {"upload": "数据导入", "batches": "导入批次", "quality": "数据质量"}

scope = frame.require("data")
components.header("数据导入与质量", subtitle="按模板导入 Excel 数据(全部通过检查才写入,可整批撤销),查看数据新鲜度、规则检查和完整性")

# one section at a time (not tabs): the quality checks scan whole tables and need not run for an upload
shown = st.segmented_control("内容", list(SECTIONS), format_func=SECTIONS.get, default="upload", key="data_section",
                             label_visibility="collapsed") or "upload"
if shown == "upload":
    imports.import_tab(scope)
elif shown == "batches":
    imports.batches_tab(scope)
else:
    quality.show(scope)
