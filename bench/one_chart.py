"""The yardstick for the browser measurement: a Streamlit page with one Altair chart."""

import altair as alt
import polars as pl
import streamlit as st

st.title("One chart")
data = pl.DataFrame({"x": list(range(60)), "y": [(i * 7) % 23 for i in range(60)]})
st.altair_chart(alt.Chart(data).mark_circle().encode(x="x:Q", y="y:Q"), width="stretch")
