"""The dashboard's logger: one line per event on stderr, with the time."""

import logging

LOG = logging.getLogger("dashboard")
if not LOG.handlers:  # Streamlit configures only its own loggers: give ours a line on stderr with the time
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOG.addHandler(_handler)
    LOG.setLevel(logging.INFO)
