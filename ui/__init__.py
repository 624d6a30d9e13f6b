"""Streamlit glue: cached wrappers of the data layer and shared page components."""
