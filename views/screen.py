"""大屏: the presentation screen, unattended for days: panels in rotation every DASHBOARD_SCREEN_SECONDS, the data
date read afresh on each, dark and large, no widgets and no personal data."""

import streamlit as st

from data_access.settings import settings
from ui import frame, screen

frame.require("screen")
screen.style()


@st.fragment(run_every=settings().screen_seconds)
def rotation() -> None:
    """The next panel: only this part reruns, the page itself stays."""
    index = st.session_state.get("screen_index", -1) + 1
    st.session_state["screen_index"] = index
    with frame.error_boundary():  # a fragment rerun is outside app.py's boundary; the next panel tries again
        screen.show(index)


rotation()
