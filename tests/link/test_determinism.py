"""The same corpus gives the same ledger, byte for byte in the export, whatever the process's hash seed (issue 16).

Two clean runs (ingest, extraction, lineage, incidents) in separate processes with different ``PYTHONHASHSEED``
values must export identical JSON Lines. The corpus has two statements whose allegations name two act families
equally often: the incident's label used to follow the order a ``set`` of families was walked in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"

TIED = {
    "mfa-talish.txt": "Statement of the Ministry of Foreign Affairs of Azerbaijan\n\nAzerbaijan accused Armenia of "
                      "torturing prisoners of war and of deporting civilians from the village of Talish.\n",
    "mod-talish.txt": "Statement of the Ministry of Defence of Azerbaijan\n\nThe Ministry of Defence of Azerbaijan "
                      "accused Armenia of the deportation of civilians and the torture of prisoners of war in the "
                      "village of Talish.\n",
}


def run(seed: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("counterclaim", path=str(Path(sys.executable).parent)) or "counterclaim"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([exe, *args], capture_output=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")[-2000:]
    return out


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_two_runs_with_different_hash_seeds_export_the_same_bytes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for name, text in TIED.items():
        (corpus / name).write_text(text, encoding="utf-8")
    exports = []
    for seed in ("1", "2"):
        db = str(tmp_path / f"run{seed}.db")
        run(seed, "analyze", str(corpus), "--db", db, "--quiet", "--json")
        exports.append(run(seed, "export", "--db", db, "--format", "jsonl").stdout)
    assert b'"type": "incident"' in exports[0]  # the incidents are part of what is compared
    first, second = (e.decode("utf-8").splitlines() for e in exports)
    assert len(first) == len(second)
    assert [a for a, b in zip(first, second, strict=True) if a != b] == []
    assert exports[0] == exports[1]
