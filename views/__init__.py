"""The views: one Streamlit page script each, run by app.py through st.navigation.
Layout only: what they show comes from the service layer through ui."""
