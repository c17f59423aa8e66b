"""The only page someone who may not view the portfolio sees."""

from __future__ import annotations

import streamlit as st

from ui.shell.access import current_access


def sign_in_screen() -> None:
    access = current_access()
    st.title("Outcomes cockpit")
    st.write(access.why_not_view)
    if access.user is None and not access.unverified:
        st.button("Sign in", type="primary", icon=":material/login:", on_click=st.login)
    else:
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)
