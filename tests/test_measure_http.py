"""`http` sources against a real local HTTP server (pytest-httpserver): the number at a
dotted path, auth headers from secrets, and every way an answer can be unusable."""

from __future__ import annotations

import time

import pytest
from werkzeug import Request, Response

from connectors.measure.connections import Connection
from connectors.measure.http import fetch, value_at
from connectors.measure.redact import redact
from connectors.measure.run import with_deadline
from connectors.measure.values import SourceFailed

TOKEN = "bi-Sup3r-token-0123456789"


def connection(httpserver, **options) -> Connection:
    return Connection("bi", httpserver.url_for("/api"), **options)


def test_the_number_at_a_dotted_path_with_list_indexes(httpserver):
    httpserver.expect_request(
        "/api/metrics/conversion", headers={"Authorization": f"Bearer {TOKEN}"}
    ).respond_with_json({"data": [{"value": 2.75}, {"value": 1}], "unit": "%"})
    answer = fetch(connection(httpserver, token=TOKEN), "/metrics/conversion", "data.0.value")
    assert (answer.value, answer.raw) == (2.75, "2.75")


def test_a_token_in_its_own_header_and_basic_auth(httpserver):
    httpserver.expect_request("/api/a", headers={"X-API-Key": TOKEN}).respond_with_json({"n": 3})
    options = {"token": TOKEN, "token_header": "X-API-Key"}
    assert fetch(connection(httpserver, **options), "a", "n").value == 3.0
    httpserver.expect_request(
        "/api/b",
        headers={"Authorization": "Basic cmVhZGVyOnB3LVN1cDNy"},  # reader:pw-Sup3r
    ).respond_with_json({"n": 4})
    url = httpserver.url_for("/api").replace("http://", "http://reader@")
    assert fetch(Connection("bi", url, password="pw-Sup3r"), "/b", "n").value == 4.0


@pytest.mark.parametrize(
    ("document", "path", "says"),
    [
        ({"data": []}, "data.0.value", "list at data has 0 item(s); there is no index 0"),
        ({"data": {"v": 1}}, "data.value", "no key 'value' at data (keys: v)"),
        ({"data": [1]}, "data.first", "'first' is not an index"),
        ({"data": "x"}, "data.v", "has 'x' at data, not an object or list"),
        ({"v": "12"}, "v", "returned the text '12', not a number"),
        ({"v": None}, "v", "returned null"),
        ({"v": [1, 2]}, "v", "returned a list"),
    ],
)
def test_an_answer_without_a_number_there_is_a_failure(httpserver, document, path, says):
    httpserver.expect_request("/api/x").respond_with_json(document)
    with pytest.raises(SourceFailed) as caught:
        fetch(connection(httpserver), "/x", path)
    assert says in str(caught.value)


def test_nan_and_text_bodies(httpserver):
    httpserver.expect_request("/api/nan").respond_with_data(
        '{"v": NaN}', content_type="application/json"
    )
    httpserver.expect_request("/api/html").respond_with_data("<html>login</html>")
    with pytest.raises(SourceFailed, match="returned NaN"):
        fetch(connection(httpserver), "/nan", "v")
    with pytest.raises(SourceFailed, match="did not answer JSON"):
        fetch(connection(httpserver), "/html", "v")


def test_refused_credentials_never_echo_the_token(httpserver):
    def echo(request: Request) -> Response:  # a server that quotes the header back
        return Response(f"denied for {request.headers.get('Authorization')}", status=401)

    httpserver.expect_request("/api/x").respond_with_handler(echo)
    with pytest.raises(SourceFailed) as caught:
        fetch(connection(httpserver, token=TOKEN), "/x", "v")
    message = str(caught.value)
    assert "refused the connection's credentials (HTTP 401)" in message
    assert TOKEN not in message


def test_other_http_errors_and_redirects(httpserver):
    httpserver.expect_request("/api/gone").respond_with_data("", status=404)
    httpserver.expect_request("/api/moved").respond_with_data(
        "", status=302, headers={"Location": "https://elsewhere.example/x"}
    )
    with pytest.raises(SourceFailed, match="answered HTTP 404"):
        fetch(connection(httpserver), "/gone", "v")
    with pytest.raises(SourceFailed, match=r"a redirect to https://elsewhere\.example/x"):
        fetch(connection(httpserver), "/moved", "v")


def test_a_server_that_hangs_is_cut_off(httpserver):
    def slow(request: Request) -> Response:
        time.sleep(3)
        return Response('{"v": 1}')

    httpserver.expect_request("/api/slow").respond_with_handler(slow)
    conn = connection(httpserver, timeout_seconds=0.5)
    with pytest.raises(SourceFailed, match=r"did not answer within 0\.5 s"):
        fetch(conn, "/slow", "v")
    with pytest.raises(SourceFailed, match=r"gave no answer within 0\.5 s"):
        with_deadline(lambda: time.sleep(3) or fetch(conn, "/slow", "v"), 0.5)


def test_an_unreachable_server_and_a_url_that_is_not_http():
    with pytest.raises(SourceFailed, match="cannot be reached"):
        fetch(Connection("bi", "http://127.0.0.1:1/api", timeout_seconds=2), "/x", "v")
    with pytest.raises(SourceFailed, match="not an http"):
        fetch(Connection("bi", "postgresql://db/x"), "/x", "v")


def test_value_at_walks_objects_and_lists():
    assert value_at({"a": [{"b": [0, 5]}]}, "a.0.b.1") == 5


def test_redaction_covers_every_form_of_a_credential():
    conn = Connection("bi", "https://reader:url-pass-123@bi.example/api", token=TOKEN)
    text = (
        f"token {TOKEN} url https://reader:url-pass-123@bi.example basic "
        "Basic cmVhZGVyOnVybC1wYXNzLTEyMw== password=other-secret Bearer abcdefghijklmnopqrst"
    )
    cleaned = redact(text, conn)
    for secret in (
        TOKEN,
        "url-pass-123",
        "cmVhZGVyOnVybC1wYXNzLTEyMw",
        "other-secret",
        "abcdefghijklmnopqrst",
    ):
        assert secret not in cleaned
    assert "[redacted]" in cleaned
