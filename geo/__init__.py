"""Boundaries, synthetic township/village geometry and map figure builders (no Streamlit)."""
