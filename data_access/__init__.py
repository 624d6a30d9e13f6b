"""Database access: settings, engines, models and query functions (no Streamlit here)."""
