"""The workbench answers only its own hosts (DNS rebinding), takes edits only from its own origin, validates
corrections against the taxonomy, answers HEAD, and `serve` on a busy port says so in one line."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from counterclaim.records import Allegation, Document, Figure, SourceRef
from counterclaim.store import Ledger
from counterclaim.web.app import create_app
from counterclaim.web.security import allowed_hosts, host_name

TEXT = "The ministry said that Armenia shelled the town of Tartar on 3 March 2021, killing 4 civilians."


@pytest.fixture
def small_db(tmp_path: Path) -> tuple[Path, str, str]:
    db = tmp_path / "w.db"
    with Ledger(db) as ledger:
        doc = Document.from_text(TEXT, title="Statement", publisher="MFA")
        ledger.add_document(doc, SourceRef("statement.txt"))
        alleg = Allegation(doc=doc.id, start=0, end=len(TEXT), sentence=TEXT, claimant="Azerbaijan",
                           accused=["Armenia"], act="attack_on_civilians")
        fig = Figure(doc=doc.id, start=TEXT.index("4 civ"), end=TEXT.index("4 civ") + 1, value=4, category="killed",
                     sentence=TEXT)
        ledger.replace_records(doc.id, "test-1", [alleg, fig])
    return db, alleg.id, fig.id


def client(db: Path, host: str = "127.0.0.1", extra: tuple[str, ...] = ()) -> TestClient:
    app = create_app(db, allow_edit=True, hosts=allowed_hosts(host, extra))
    return TestClient(app, base_url="http://127.0.0.1:8000")


def test_host_names_are_normalised() -> None:
    assert host_name("LOCALHOST:8000") == "localhost" and host_name("[::1]:8000") == "::1"
    assert host_name("example.org.") == "example.org" and host_name("::1") == "::1"
    assert allowed_hosts("0.0.0.0", ["lab.lan"]) == {"127.0.0.1", "localhost", "::1", "lab.lan"}


def test_a_rebound_host_gets_nothing(small_db: tuple[Path, str, str]) -> None:
    db, alleg, _ = small_db
    c = client(db)
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LocalHost"):
        assert c.get("/api/documents", headers={"host": host}).status_code == 200, host
    for host in ("attacker.example:8000", "127.0.0.1.attacker.example", "localhost.evil", "0.0.0.0:8000", ""):
        r = c.get("/api/documents", headers={"host": host})
        assert r.status_code == 421, host
        assert "DNS rebinding" in r.json()["error"]["message"] and TEXT[:20] not in r.text
    page = c.get("/documents", headers={"host": "attacker.example", "accept": "text/html"})
    assert page.status_code == 421 and "Statement" not in page.text
    edit = c.post(f"/api/records/{alleg}", json={"set": {"stance": "deny"}}, headers={"host": "attacker.example"})
    assert edit.status_code == 421
    assert c.get(f"/api/records/{alleg}").json()["stance"] == "assert"  # nothing changed


def test_allowed_host_adds_a_name(small_db: tuple[Path, str, str]) -> None:
    c = client(small_db[0], "0.0.0.0", ("lab.lan",))
    assert c.get("/api/documents", headers={"host": "lab.lan:8000"}).status_code == 200
    assert c.get("/api/documents", headers={"host": "other.lan:8000"}).status_code == 421


def test_edits_only_from_the_workbench_origin(small_db: tuple[Path, str, str]) -> None:
    db, alleg, _ = small_db
    c = client(db)
    for origin in ("http://attacker.example", "http://localhost:3000", "null", "http://127.0.0.1:8001"):
        r = c.post(f"/api/records/{alleg}", json={"set": {"stance": "deny"}}, headers={"origin": origin})
        assert r.status_code == 403, origin
    cross = c.post(f"/api/records/{alleg}", json={"set": {"stance": "deny"}}, headers={"sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    assert c.get(f"/api/records/{alleg}").json()["stance"] == "assert"
    same = c.post(f"/api/records/{alleg}", json={"set": {"stance": "deny"}},
                  headers={"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"})
    assert same.status_code == 200, same.text
    scripted = c.post(f"/api/records/{alleg}", json={"set": {"stance": "assert"}})  # curl: no Origin
    assert scripted.status_code == 200
    assert c.get(f"/api/records/{alleg}").json()["stance"] == "assert"


@pytest.mark.parametrize("field, value, words", [
    ("stance", "nonsense", "call_to_investigate"),
    ("act", {"$gt": ""}, "war_crime"),
    ("act", "looting_and_more", "war_crime"),
    ("claimant", ["Armenia"], "string"),
    ("claimant", 42, "string"),
    ("time", "2024-13-45", "YYYY-MM-DD"),
    ("time", "yesterday", "YYYY-MM-DD"),
])
def test_allegation_edits_are_checked_against_the_taxonomy(
    small_db: tuple[Path, str, str], field: str, value: object, words: str
) -> None:
    db, alleg, _ = small_db
    c = client(db)
    before = c.get(f"/api/records/{alleg}").json()
    r = c.post(f"/api/records/{alleg}", json={"set": {field: value}})
    assert r.status_code == 400 and words in r.json()["error"]["message"], r.text
    assert c.get(f"/api/records/{alleg}").json() == before


def test_valid_edits_still_pass(small_db: tuple[Path, str, str]) -> None:
    db, alleg, fig = small_db
    c = client(db)
    assert c.post(f"/api/records/{alleg}", json={"set": {"act": "war_crime", "time": "2021-03", "place": None}}
                  ).status_code == 200
    assert c.get(f"/api/records/{alleg}").json()["act"] == "war_crime"
    assert c.post(f"/api/records/{fig}", json={"set": {"value": 5, "category": "injured"}}).status_code == 200
    for bad in ({"value": "five"}, {"value": True}, {"value": -1}, {"category": "dead"}, {"qualifier": "many"}):
        assert c.post(f"/api/records/{fig}", json={"set": bad}).status_code == 400, bad


def test_head_is_answered_like_get(small_db: tuple[Path, str, str]) -> None:
    c = client(small_db[0])
    for path in ("/documents", "/api/documents", "/allegations.csv", "/static/workbench.js"):
        got, head = c.get(path), c.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    assert c.head("/nowhere").status_code == 404


def _cc() -> str:
    return shutil.which("counterclaim", path=str(Path(sys.executable).parent)) or "counterclaim"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_real_server_refuses_a_rebinding_request(small_db: tuple[Path, str, str]) -> None:
    db, alleg, _ = small_db
    port = _free_port()
    proc = subprocess.Popen([_cc(), "serve", "--db", str(db), "--port", str(port), "--allow-edit"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/documents")
                assert conn.getresponse().status == 200
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        body = json.dumps({"set": {"stance": "deny"}})
        conn.request("POST", f"/api/records/{alleg}", body=body,
                     headers={"Host": f"rebind.attacker.example:{port}", "Content-Type": "application/json",
                              "Origin": f"http://rebind.attacker.example:{port}"})
        assert conn.getresponse().status == 421
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("HEAD", "/documents")
        assert conn.getresponse().status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_on_a_busy_port_is_one_line(small_db: tuple[Path, str, str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        out = subprocess.run([_cc(), "serve", "--db", str(small_db[0]), "--port", str(port)], capture_output=True,
                             text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("counterclaim: error: cannot listen on 127.0.0.1:") and "--port" in out.stderr
    assert "http://" not in out.stderr and "Traceback" not in out.stderr
