"""数据导入与质量: Excel templates and validated all-or-nothing imports, the import batches with rollback, and the
data's freshness, rule breaks and completeness."""

import streamlit as st

from ui import components, frame, imports, quality

scope = frame.require("data")
components.header("数据导入与质量", subtitle="按模板导入 Excel 数据(全部通过检查才写入,可整批撤销),查看数据新鲜度、规则检查和完整性")

upload, history, checks = st.tabs(["数据导入", "导入批次", "数据质量"])
with upload:
    imports.import_tab(scope)
with history:
    imports.batches_tab(scope)
with checks:
    quality.show(scope)
