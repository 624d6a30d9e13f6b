"""Entry point: page config, sign-in gate, shared sidebar and the registered pages."""

import streamlit as st

from ui import auth, frame, nav

st.set_page_config(page_title=frame.APP_TITLE, page_icon="assets/favicon.png", layout="wide")

with frame.error_boundary():
    account = auth.current()
    navigation = nav.navigation(account)  # before seeding, so a deep link keeps its page through the rerun
    frame.ensure_data()
    frame.missing_page_notice()
    if account is None:
        frame.sign_in_page()
        st.stop()
    auth.redirect_if_pending()
    frame.sidebar(account)
    navigation.run()
