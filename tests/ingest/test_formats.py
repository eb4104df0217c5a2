"""PDF, Word and OpenDocument inputs, legacy encodings: fixtures made with the real libraries (fpdf2, pypdf,
python-docx, odfpy) and real codecs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.errors import InputError
from counterclaim.ingest.build import build_document
from counterclaim.ingest.pdf import page_at
from counterclaim.ingest.readers import RawDocument, read_path
from counterclaim.records import Document

MB = 10 * 1024 * 1024

PAGE_TEXTS = [
    "The Commission found that Russian forces shelled residential areas of Kherson on 3 March 2022, killing at "
    "least 12 civilians and destroying the central market. Witnesses described repeated strikes over two hours.",
    "Investigators also documented the detention of 40 men in a school basement in Yahidne, where several were "
    "tortured. The Ministry of Defence of the Russian Federation denied the accusations in a statement.",
]
HEADER = "UNITED NATIONS - Human Rights Council - A/HRC/52/62"


def make_pdf(path: Path, pages: list[str], *, header: str | None = HEADER, title: str | None = "Report of the "
             "Independent International Commission of Inquiry on Ukraine", password: str | None = None) -> Path:
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            if header:
                self.set_font("helvetica", size=9)
                self.cell(0, 8, header, align="C")
                self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", size=9)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Report()
    if title:
        pdf.set_title(title)
    pdf.set_author("OHCHR")
    pdf.set_creation_date(dt.datetime(2023, 3, 15, tzinfo=dt.UTC))
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        if text:
            pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
        writer.write(str(path))
    return path


def one(path: Path) -> Document:
    items = list(read_path(path, MB))
    assert len(items) == 1 and isinstance(items[0], RawDocument), items
    return build_document(items[0])


def test_pdf_pages_kept_running_header_and_footer_removed(tmp_path: Path) -> None:
    doc = one(make_pdf(tmp_path / "report.pdf", PAGE_TEXTS))
    assert HEADER not in doc.text and "Page 1 of 2" not in doc.text and "of 2" not in doc.text
    assert "central market" in doc.text and "school basement" in doc.text
    pages = doc.meta["pages"]
    assert [p[0] for p in pages] == [1, 2] and doc.meta["page_count"] == 2
    assert page_at(pages, doc.text.index("central market")) == 1
    assert page_at(pages, doc.text.index("school basement")) == 2
    assert page_at(pages, len(doc.text) - 1) == 2
    # the PDF's properties fill what the text does not say; a title typed into them beats the first line
    assert doc.title == "Report of the Independent International Commission of Inquiry on Ukraine"
    assert doc.author == "OHCHR" and doc.published == "2023-03-15"
    assert set(doc.meta["from_properties"]) == {"title", "author", "published"}


def test_pdf_dateline_in_the_text_beats_the_file_date(tmp_path: Path) -> None:
    pages = ["Press release 04 October 2022\n" + PAGE_TEXTS[0], PAGE_TEXTS[1]]
    doc = one(make_pdf(tmp_path / "release.pdf", pages, title="Microsoft Word - draft3.docx"))
    assert doc.published == "2022-10-04"
    assert doc.title and "Microsoft Word" not in doc.title


def test_pdf_header_that_is_not_repeated_stays(tmp_path: Path) -> None:
    doc = one(make_pdf(tmp_path / "single.pdf", [PAGE_TEXTS[0]]))
    assert HEADER in doc.text  # one page: nothing repeats, nothing is removed


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", ["", ""], header=None)
    with pytest.raises(InputError, match="no text layer: run OCR first, e.g. ocrmypdf"):
        list(read_path(path, MB))


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "locked.pdf", PAGE_TEXTS, password="s3cret")
    with pytest.raises(InputError, match="encrypted PDF: a password is needed"):
        list(read_path(path, MB))


def test_broken_pdf(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", PAGE_TEXTS).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(good[: len(good) // 3])
    with pytest.raises(InputError) as info:
        list(read_path(path, MB))
    assert "PDF" in info.value.reason and str(path) in str(info.value)


def test_pdf_batch_goes_on_past_bad_pdfs(tmp_path: Path) -> None:
    from counterclaim.ingest import IngestOptions, ingest_paths
    from counterclaim.store import Ledger

    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "a_scan.pdf", ["", ""], header=None)
    make_pdf(folder / "b_locked.pdf", PAGE_TEXTS, password="pw")
    make_pdf(folder / "c_report.pdf", PAGE_TEXTS)
    with Ledger(tmp_path / "l.db") as ledger:
        report = ingest_paths(ledger, [str(folder)], IngestOptions(jobs=1))
        assert report.new == 1 and len(report.problems) == 2
        reasons = " ".join(r for _, r in report.problems)
        assert "no text layer" in reasons and "password" in reasons


def test_docx_paragraphs_tables_and_properties(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Statement on the shelling of Kharkiv"
    document.core_properties.author = "Ministry of Foreign Affairs of Ukraine"
    document.core_properties.created = dt.datetime(2022, 3, 2, 9, 0)
    document.add_heading("Statement of the Ministry of Foreign Affairs of Ukraine", level=1)
    document.add_paragraph("Kyiv, 2 March 2022")
    document.add_paragraph(PAGE_TEXTS[0])
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Killed", "12"
    table.cell(1, 0).text, table.cell(1, 1).text = "Injured", "35"
    document.add_paragraph(PAGE_TEXTS[1])
    document.sections[0].header.paragraphs[0].text = "HEADER-OF-EVERY-PAGE"
    path = tmp_path / "statement.docx"
    document.save(str(path))
    doc = one(path)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Statement of the Ministry of Foreign Affairs of Ukraine"
    assert PAGE_TEXTS[0] in paragraphs and PAGE_TEXTS[1] in paragraphs
    assert "Killed | 12" in paragraphs and "Injured | 35" in paragraphs
    assert "HEADER-OF-EVERY-PAGE" not in doc.text
    assert doc.published == "2022-03-02"  # the dateline in the text
    assert doc.author == "Ministry of Foreign Affairs of Ukraine" and doc.title == "Statement on the shelling of Kharkiv"


def test_docx_with_another_name_is_still_read(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(PAGE_TEXTS[0])
    path = tmp_path / "download"  # no extension, as browsers sometimes save attachments
    document.save(str(path))
    assert "central market" in one(path).text


def test_odt_paragraphs_and_properties(tmp_path: Path) -> None:
    from odf import dc, meta, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Note verbale on the Yahidne detentions"))
    document.meta.addElement(meta.InitialCreator(text="Permanent Mission of Ukraine"))
    document.meta.addElement(meta.CreationDate(text="2022-04-05T10:00:00"))
    document.text.addElement(text.H(outlinelevel=1, text="Note verbale"))
    para = text.P(text="First  part")
    para.addElement(text.S(c=3))
    para.addText("after spaces.")
    document.text.addElement(para)
    document.text.addElement(text.P(text=PAGE_TEXTS[1]))
    path = tmp_path / "note.odt"
    document.save(str(path))
    doc = one(path)
    assert doc.text.split("\n\n")[0] == "Note verbale"
    assert "First part after spaces." in doc.text and PAGE_TEXTS[1] in doc.text
    assert doc.author == "Permanent Mission of Ukraine" and doc.published == "2022-04-05"
    assert doc.title == "Note verbale on the Yahidne detentions"


def test_broken_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(InputError, match="broken Word"):
        list(read_path(path, MB))


# -- encodings ---------------------------------------------------------------------------------------------------
FRENCH_1252 = ("Le ministère des Affaires étrangères condamne fermement les frappes contre des civils à Kharkiv. "
               "« Ces crimes de guerre ne resteront pas impunis », a déclaré le porte-parole.")
ENGLISH_1252 = ("The Ministry\u2019s statement \u201cstrongly condemns\u201d the shelling of the caf\u00e9 in "
                "Kramatorsk \u2013 at least 12 civilians were killed, the r\u00e9sum\u00e9 says. The na\u00efve "
                "claims were rejected.")
RUSSIAN = ("Министерство иностранных дел России заявило, что удары по жилым кварталам были нанесены "
           "украинскими войсками. Погибли мирные жители.")
POLISH = ("Ministerstwo Spraw Zagranicznych potępia ataki na ludność cywilną. Zginęło co najmniej dwóch "
          "żołnierzy i pięć osób cywilnych w Łodzi.")


@pytest.mark.parametrize(("text", "codec", "name"), [
    (ENGLISH_1252, "cp1252", "windows-1252"),
    (FRENCH_1252, "cp1252", "windows-1252"),
    (RUSSIAN, "koi8_r", "koi8-r"),
    (RUSSIAN, "cp1251", "windows-1251"),
    (RUSSIAN, "iso8859_5", "iso-8859-5"),
    (POLISH, "iso8859_2", "iso-8859-2"),
    (POLISH, "cp1250", "windows-1250"),
])
def test_legacy_encoded_text_is_detected(tmp_path: Path, text: str, codec: str, name: str) -> None:
    path = tmp_path / "statement.txt"
    path.write_bytes(text.encode(codec))
    doc = one(path)
    assert doc.text == text
    assert doc.meta["encoding"] == name and doc.meta["encoding_by"] == "detected"


def test_utf16_text_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(ENGLISH_1252.encode("utf-16"))
    doc = one(path)
    assert doc.text == ENGLISH_1252 and doc.meta["encoding"] == "utf-16" and doc.meta["encoding_by"] == "bom"


def test_utf8_is_recorded_as_such(tmp_path: Path) -> None:
    path = tmp_path / "u8.txt"
    path.write_text(POLISH, encoding="utf-8")
    doc = one(path)
    assert doc.meta["encoding"] == "utf-8" and doc.meta["encoding_by"] == "utf-8"


def page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>Frappes sur Kharkiv</title></head><body><article>"
            f"<h1>Frappes sur Kharkiv</h1>" + "".join(f"<p>{body}</p>" for _ in range(3)) + "</article></body></html>")


def test_windows_1252_html_without_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page(ENGLISH_1252).encode("cp1252"))
    doc = one(path)
    assert "Ministry\u2019s statement \u201cstrongly condemns\u201d" in doc.text and "na\u00efve" in doc.text
    assert doc.meta["encoding"] == "windows-1252" and doc.meta["encoding_by"] == "detected"


def test_html_declared_charset_wins(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page(RUSSIAN, '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">')
                     .encode("koi8_r"))
    doc = one(path)
    assert RUSSIAN in doc.text and doc.meta["encoding"] == "koi8-r" and doc.meta["encoding_by"] == "declared"


def test_latin1_label_is_read_as_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page(ENGLISH_1252, '<meta charset="iso-8859-1">').encode("cp1252"))
    doc = one(path)
    assert "\u201cstrongly condemns\u201d" in doc.text and doc.meta["encoding"] == "windows-1252"


# -- listing pages ------------------------------------------------------------------------------------------------
STORY_A = ("Government forces and armed ethnic Fulani killed at least 21 civilians in Ngarbuh village, including 13 "
           "children, on February 14, 2020. They also burned five homes and beat residents. ")
STORY_B = ("Separatist fighters attacked a school in Kumba, killing seven pupils and wounding a dozen more, local "
           "officials said. The government blamed the separatists; the separatists denied it. ")


def listing(stories: list[tuple[str, str, str]], extra: str = "") -> str:
    blocks = "".join(
        f'<article class="post"><h2><a href="/{i}">{title}</a></h2><time datetime="{date}">{date}</time>'
        + "".join(f"<p>{body}</p>" for _ in range(2)) + "</article>"
        for i, (title, date, body) in enumerate(stories))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>February 2020 - Page 3 - Concord News</title>"
            f"</head><body><nav>Home News Politics</nav><main>{blocks}</main>{extra}<footer>All rights reserved"
            f"</footer></body></html>")


def test_two_story_listing_page_is_split(tmp_path: Path) -> None:
    path = tmp_path / "page-3.html"
    path.write_text(listing([("Ngarbuh massacre: 21 civilians killed", "2020-02-26", STORY_A),
                             ("Gunmen attack Kumba school", "2020-10-24", STORY_B)]), encoding="utf-8")
    items = list(read_path(path, MB))
    docs = [build_document(i) for i in items if isinstance(i, RawDocument)]
    assert [(d.title, d.published) for d in docs] == [
        ("Ngarbuh massacre: 21 civilians killed", "2020-02-26"), ("Gunmen attack Kumba school", "2020-10-24")]
    assert "Ngarbuh" in docs[0].text and "Kumba" not in docs[0].text
    assert "Kumba" in docs[1].text and "Ngarbuh" not in docs[1].text
    assert [i.source.locator for i in items if isinstance(i, RawDocument)] == ["story 1", "story 2"]


def test_listing_of_teasers_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.html"
    teasers = [(f"Story number {n}", f"2020-02-{10 + n:02d}", "A line of teaser text.") for n in range(4)]
    path.write_text(listing(teasers), encoding="utf-8")
    with pytest.raises(InputError, match="listing page of 4 dated stories"):
        list(read_path(path, MB))


def test_article_with_related_stories_is_one_document(tmp_path: Path) -> None:
    related = "<section>" + "".join(
        f'<article class="post"><h3>Related {n}</h3><time datetime="2020-01-0{n}">x</time><p>Teaser.</p></article>'
        for n in range(1, 4)) + "</section>"
    page = listing([("Ngarbuh massacre: 21 civilians killed", "2020-02-26", STORY_A * 3)], extra=related)
    path = tmp_path / "story.html"
    path.write_text(page, encoding="utf-8")
    docs = [i for i in read_path(path, MB) if isinstance(i, RawDocument)]
    assert len(docs) == 1 and "Ngarbuh" in (docs[0].text or "")


def test_wire_story_reposted_on_a_site_keeps_both_outlets(tmp_path: Path) -> None:
    body = ("GENEVA (Reuters) - The U.N. human rights office said on Friday that an air strike on a camp for "
            "displaced people near Sarmada killed at least 28 people, including women and children. ")
    page_html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Syria denies targeting camps | The Gazette</title>"
        "<meta property='og:site_name' content='The Gazette'></head><body><article>"
        "<h1>Syria denies targeting camps</h1>" + "".join(f"<p>{body}</p>" for _ in range(3))
        + "</article></body></html>")
    path = tmp_path / "story.html"
    path.write_text(page_html, encoding="utf-8")
    doc = one(path)
    assert doc.publisher == "The Gazette" and doc.meta["original_publisher"] == "Reuters"
    start, end = doc.meta["from_text"]["original_publisher"]
    assert doc.text[start:end].startswith("GENEVA (Reuters) -")


@settings(max_examples=60, deadline=None)
@given(prefix=st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04\x14\x00\x00\x00\x08\x00word/document.xml",
                               b"PK\x03\x04\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                               b"\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.text"]),
       body=st.binary(max_size=3000), name=st.sampled_from(["x.pdf", "x.docx", "x.odt", "x"]))
def test_damaged_documents_give_clear_errors(prefix: bytes, body: bytes, name: str) -> None:
    from counterclaim.ingest.readers import read_bytes

    try:
        for item in read_bytes(prefix + body, name):
            if isinstance(item, RawDocument):
                build_document(item)
    except InputError as exc:
        assert exc.reason and "\n" not in str(exc)


def test_warc_record_charset_from_its_http_header(tmp_path: Path) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        for i, (body, ctype) in enumerate([
            (page(RUSSIAN).encode("cp1251"), "text/html; charset=windows-1251"),
            (page(ENGLISH_1252).encode("utf-8"), "text/html; charset=iso-8859-1"),  # a wrong header: UTF-8 wins
        ]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://example.org/{i}", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))
    docs = [build_document(i) for i in read_path(path, MB) if isinstance(i, RawDocument)]
    assert RUSSIAN in docs[0].text and (docs[0].meta["encoding"], docs[0].meta["encoding_by"]) == (
        "windows-1251", "declared")
    assert "\u201cstrongly condemns\u201d" in docs[1].text and docs[1].meta["encoding"] == "utf-8"


def test_html_declaring_latin1_but_sent_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page(ENGLISH_1252, '<meta charset="iso-8859-1">').encode("utf-8"))
    doc = one(path)
    assert "\u201cstrongly condemns\u201d" in doc.text and doc.meta["encoding"] == "utf-8"
