"""Entry point: page config, data gate, shared sidebar and the registered pages."""

import streamlit as st

from ui import frame

st.set_page_config(page_title=frame.APP_TITLE, page_icon="assets/favicon.png", layout="wide")

pages = {
    "监测总览": [
        st.Page("views/overview.py", title="总览", icon=":material/dashboard:", default=True),
        st.Page("views/map.py", title="县域地图", icon=":material/map:", url_path="map"),
    ],
}
navigation = st.navigation(pages)  # first, so a deep link keeps its page through first-start seeding
frame.ensure_data()
frame.sidebar()
navigation.run()
