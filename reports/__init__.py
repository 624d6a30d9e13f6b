"""Documents built on the server from the services (no streamlit): the 周调度通报."""
