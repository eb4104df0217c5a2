"""Cleaning: furniture lines go, real sentences and metadata lines stay, Unicode is normalised, paragraphs kept."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.ingest.clean import is_furniture, normalise

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"

FURNITURE = [
    "news banner image Desktop news banner image Mobile", "Share this page", "Share", "Share on Facebook",
    "Facebook Twitter WhatsApp Telegram", "Facebook | X | Email | Print", "All rights reserved.",
    "© 2024 Example News. All rights reserved.", "Copyright 2023 The Kyiv Example", "(c) Ministry of Foreign Affairs",
    "Privacy Policy", "Cookie settings", "Terms of Use", "We use cookies to improve your experience on our site.",
    "Accept all cookies", "Search in archive", "Search", "Menu", "Skip to main content", "Back to top",
    "Read more", "Read also: Strikes on Odesa port damage grain terminal", "Related news", "Most read",
    "Previous article", "Next »", "You may also like", "Print version", "Download PDF", "5 min read",
    "Home > News > Statements", "Tags: Sudan, Darfur, El Fasher", "Advertisement", "Loading...",
    "Subscribe to our newsletter", "Sign in", "Follow us on Telegram", "|", "———", "12", "Views: 1 234",
    "Contact us to use any licensed material.",
]

REAL = [
    "By Azernews", "By Vugar Khalilov", "Press release 04 October 2022", "Baku, 12 March 2021",
    "The ministry said the strike on the hospital in Mariupol killed three people.",
    "Share of civilian casualties rose to 60 per cent, the report found.",
    "Search and rescue teams recovered 12 bodies from the rubble in Khan Younis.",
    "Home to more than 40,000 people, the camp was shelled twice.",
    "Copyright law was not the issue; the reporters were detained for their coverage.",
    "Print media in Tigray have been shut since the blackout began.",
    "Menu prices in Khartoum doubled as the siege continued.",
    "Follow-up investigations by the UN found similar patterns in Idlib.",
    "Related: the Rome Statute defines attacks on civilians as war crimes.",
    "Statement of the Press Service Department of the Ministry of Foreign Affairs",
    "Terms of the ceasefire were violated within hours, the monitors said.",
    "Accept responsibility, the commission told the government.",
    "2023",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", REAL)
def test_real_lines_stay(line: str) -> None:
    assert not is_furniture(line)


def test_seeds_lose_furniture_keep_text() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text("utf-8")
        clean = normalise(raw)
        for junk in ("news banner image", "Share this page", "All rights reserved", "Privacy Policy",
                     "Search in archive"):
            assert junk not in clean, (path.name, junk)
        kept = [line.strip() for line in raw.splitlines() if len(line.strip()) > 60 and not is_furniture(line)]
        assert kept and all(" ".join(line.split()) in clean for line in kept), path.name


def test_paragraphs_and_spaces() -> None:
    text = "Title\r\n\r\n\r\nFirst  paragraph\u00a0line one.\nline two.\n\n\n\nSecond\u200b paragraph.\n\n"
    assert normalise(text) == "Title\n\nFirst paragraph line one.\nline two.\n\nSecond paragraph."


def test_nfc_and_controls() -> None:
    decomposed = "Cafe\u0301 in Ku\u0308rdistan\x07\x1b"
    out = normalise(decomposed)
    assert out == unicodedata.normalize("NFC", "Café in Kürdistan") and unicodedata.is_normalized("NFC", out)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once and not once.endswith("\n")
