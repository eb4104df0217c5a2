"""RFC 3161 timestamp tokens over a seal's manifest, from a real (local, test) timestamping authority run by openssl."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.records import Document, SourceRef
from counterclaim.store import Ledger

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")

TSA_CONFIG = """[ tsa ]
default_tsa = tsa1
[ tsa1 ]
serial = ./serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha512
accuracy = secs:1
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def tsa(folder: Path, name: str) -> tuple[Path, Path]:
    """A timestamping authority: its key and a self-signed certificate for time stamping."""
    folder.mkdir()
    (folder / "tsa.cnf").write_text(TSA_CONFIG, "utf-8")
    (folder / "serial").write_text("01\n", "utf-8")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.crt", "-days", "2",
            "-subj", f"/CN={name}", "-addext", "extendedKeyUsage=critical,timeStamping", cwd=folder)
    return folder / "tsa.key", folder / "tsa.crt"


def stamp(file: Path, key: Path, cert: Path, out: Path) -> None:
    folder = key.parent
    openssl("ts", "-query", "-data", str(file), "-sha256", "-cert", "-out", "req.tsq", cwd=folder)
    openssl("ts", "-reply", "-queryfile", "req.tsq", "-inkey", str(key), "-signer", str(cert), "-out", str(out),
            "-config", "tsa.cnf", cwd=folder)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_a_timestamped_seal_verifies_and_a_stale_token_does_not(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Ledger(db) as ledger:
        ledger.add_document(Document.from_text("The ministry said the shelling killed three civilians."),
                            SourceRef("a.txt"))
    manifest = tmp_path / "seal.json"
    assert run("seal", "--db", str(db), "--out", str(manifest))[0] == 0
    key, cert = tsa(tmp_path / "tsa", "Test Timestamping Authority")
    stamp(manifest, key, cert, tmp_path / "seal.json.tsr")
    code, out = run("seal", "--db", str(db), "--verify", str(manifest), "--tsa-ca", str(cert),
                    "--timestamp-token", str(tmp_path / "seal.json.tsr"))
    assert code == 0, out
    assert "timestamp:" in out and "Test Timestamping Authority" in out and "signature checked" in out
    code, out = run("seal", "--db", str(db), "--verify", str(manifest), "--json")  # <manifest>.tsr found by itself
    report = json.loads(out)
    assert code == 0 and report["timestamp"]["algorithm"] == "sha256" and report["timestamp"]["serial"] >= 1

    # a second seal, stamped by someone else: the first token is not over it, the other CA does not sign it
    with Ledger(db) as ledger:  # the ledger moves on (a seal made in the same second would have the same bytes)
        ledger.add_document(Document.from_text("The ministry denied the accusations."), SourceRef("b.txt"))
    other = tmp_path / "seal2.json"
    assert run("seal", "--db", str(db), "--out", str(other))[0] == 0
    assert other.read_bytes() != manifest.read_bytes()
    code, out = run("seal", "--db", str(db), "--verify", str(other), "--timestamp-token",
                    str(tmp_path / "seal.json.tsr"))
    assert code == 6 and "is not over this manifest" in out
    _, rogue_cert = tsa(tmp_path / "rogue", "Rogue Authority")
    stamp(other, key, cert, tmp_path / "seal2.json.tsr")
    code, out = run("seal", "--db", str(db), "--verify", str(other), "--tsa-ca", str(rogue_cert))
    assert code == 6 and "signature does not verify" in out
    (tmp_path / "junk.tsr").write_bytes(b"not a token at all")
    code, out = run("seal", "--db", str(db), "--verify", str(other), "--timestamp-token", str(tmp_path / "junk.tsr"))
    assert code == 2 and "not an RFC 3161 timestamp token" in out
