"""RFC 3161 timestamp tokens over a seal's manifest: proof from a third party (a timestamping authority) that the
manifest, and so the custody head and every hash in it, existed at a given time.

The analyst asks a TSA for a token over the manifest file, e.g.::

    openssl ts -query -data k.seal-….json -sha256 -cert -out k.seal-….json.tsq
    curl -s -H 'Content-Type: application/timestamp-query' --data-binary @k.seal-….json.tsq \\
         https://freetsa.org/tsr > k.seal-….json.tsr

and ``counterclaim seal --verify k.seal-….json`` reads ``<manifest>.tsr`` (or ``--timestamp-token FILE``): the token's
message imprint must be the hash of the manifest's bytes; its time and authority are reported. The TSA's signature
and certificate chain are checked with ``openssl ts -verify`` when the authority's CA certificate is given
(``--tsa-ca FILE``). Parsing uses asn1crypto (a response ``.tsr`` or a bare token ``.tst``).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from counterclaim.errors import UsageError

_HASHES = {"sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


@dataclass
class Timestamp:
    """What a token says: which hash of which bytes, when, by whom."""

    path: str
    algorithm: str
    imprint: str
    time: str
    tsa: str | None
    serial: int
    policy: str

    def export(self) -> dict[str, Any]:
        return asdict(self)


def read_token(path: Path) -> Timestamp:
    """The TSTInfo of a TimeStampResp (``.tsr``) or of a bare TimeStampToken (``.tst``)."""
    from asn1crypto import cms, tsp

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read timestamp token {path}: {exc.strerror or exc}") from exc
    try:
        try:
            resp = tsp.TimeStampResp.load(data)
            status = resp["status"]["status"].native
            if status not in ("granted", "granted_with_mods"):
                raise UsageError(f"timestamp response {path} was not granted by the authority (status {status})")
            token = resp["time_stamp_token"]
        except (ValueError, KeyError, TypeError):
            token = cms.ContentInfo.load(data)
        info = token["content"]["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]
        tsa = info["tsa"]
        return Timestamp(
            path=str(path), algorithm=str(imprint["hash_algorithm"]["algorithm"].native),
            imprint=bytes(imprint["hashed_message"].native).hex(), time=info["gen_time"].native.isoformat(),
            tsa=_name(tsa.native) if tsa and tsa.native else None, serial=int(info["serial_number"].native),
            policy=str(info["policy"].native),
        )
    except UsageError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError ... on what is not a token
        raise UsageError(f"{path} is not an RFC 3161 timestamp token or response ({type(exc).__name__}: {exc})") from exc


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def check(token: Path, manifest: Path, ca: Path | None = None) -> tuple[Timestamp, list[str]]:
    """Read ``token`` and check it covers ``manifest``'s bytes (and, with ``ca``, its signature via openssl)."""
    stamp = read_token(token)
    problems: list[str] = []
    algorithm = _HASHES.get(stamp.algorithm)
    if algorithm is None:
        problems.append(f"timestamp token {token.name} uses hash {stamp.algorithm}, which counterclaim cannot check")
    else:
        actual = hashlib.new(algorithm, manifest.read_bytes()).hexdigest()
        if actual != stamp.imprint:
            problems.append(f"timestamp token {token.name} is not over this manifest: it stamps {algorithm} "
                            f"{stamp.imprint[:16]}…, the manifest hashes to {actual[:16]}… (the manifest changed "
                            "after it was stamped, or the token belongs to another file)")
    if ca is not None:
        openssl = shutil.which("openssl")
        if openssl is None:
            problems.append("cannot check the timestamp's signature: the openssl command is not installed")
        else:
            out = subprocess.run([openssl, "ts", "-verify", "-data", str(manifest), "-in", str(token),
                                  "-CAfile", str(ca), *([] if token.suffix == ".tsr" else ["-token_in"])],
                                 capture_output=True, text=True, timeout=60)
            if out.returncode != 0 or "Verification: OK" not in out.stdout:
                detail = (out.stderr or out.stdout).strip().splitlines()
                problems.append(f"the timestamp's signature does not verify against {ca.name}: "
                                f"{detail[-1] if detail else 'openssl ts -verify failed'}")
    return stamp, problems
