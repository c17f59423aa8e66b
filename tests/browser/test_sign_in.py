"""With sign-in required, the landing page shows a sign-in control and nothing else."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

SECRETS = """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "browser-test-cookie-secret"
client_id = "cockpit"
client_secret = "not-a-real-secret"
server_metadata_url = "https://idp.invalid/.well-known/openid-configuration"

[access]
require_login = true
editors = ["lead@acme.com"]
"""


def test_require_login_shows_a_sign_in_control_and_no_chart(serve, page, demo_db):
    secrets = demo_db.parent / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(exist_ok=True)
    secrets.write_text(SECRETS)
    server = serve(demo_db)
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").wait_for(timeout=15000)
    assert page.get_by_text("Sign in to see this portfolio.").is_visible()
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
    assert page.locator("[data-testid='stMetric']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert "not-a-real-secret" not in page.content()
    screenshot(page, "sign-in-required")
