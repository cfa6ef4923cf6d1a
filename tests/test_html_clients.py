"""Real clients read the HTML edition: the Nu Html Checker (vnu) finds no error in any test
pack, axe-core in Chromium finds no accessibility violation at desktop and phone widths,
the page reflows at 320 px and at 200 % zoom, its faces load, and Chromium's print to PDF
has the pack's pages and headings.

Each client skips, saying why, where it is not installed; ``.ci/run`` installs them
(Debian's chromium and Java; vnu-jar and axe-core from npm into ``$BRIEFGEN_CLIENTS``,
by default ``~/.cache/briefgen/clients``). Playwright drives the system's Chromium and
never downloads a browser of its own.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.look import default_look
from briefgen.writers.html.writer import write_html
from tests.conftest import ASP23, CASES

pytestmark = pytest.mark.slow  # a JVM and a browser, a minute in all

CLIENTS = Path(os.environ.get("BRIEFGEN_CLIENTS") or Path.home() / ".cache/briefgen/clients")
VNU_JAR = CLIENTS / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE_JS = CLIENTS / "node_modules/axe-core/axe.min.js"
INPUTS = [ASP23, *sorted((CASES / "valid").glob("*.yaml"))]
WIDTHS = (1280, 320)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, tree.Document]]:
    """Every test pack as HTML, with its tree: the valid inputs, and the writer tests' tree
    of every block type."""
    from tests.test_pdf_writer import sample_document

    output = tmp_path_factory.mktemp("html")
    found = {}
    for source in INPUTS:
        result = build_pack(source, BuildOptions(output_dir=output, formats=("html",)))
        document = compose_pack(load_session(source))
        found[source.stem] = (next(result.folder.glob("*.html")), document)
    sample = sample_document(draft=True, draft_mark="DRAFT")
    (output / "sample.html").write_bytes(write_html(sample).data)
    found["sample"] = (output / "sample.html", sample)
    return found


@pytest.fixture(scope="module")
def pages(
    packs: dict[str, tuple[Path, tree.Document]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Every test pack's page, and packs compared with an earlier edition (ins and del)."""
    from tests.test_editions import BASE, EDITS, edited

    work = tmp_path_factory.mktemp("compared")
    edits = [*EDITS["statement added"][0], *EDITS["summary reworded, link added"][0]]
    new = edited(work, [*edits, ("      - Victims must be heard.\n", "")])
    options = BuildOptions(output_dir=work / "out", formats=("html",), since=str(BASE))
    compared = next(build_pack(new, options).folder.glob("*.html"))
    assert "<ins>" in compared.read_text(encoding="utf-8")
    # and one whose edition removed a statement: its heading struck out, without an id
    options = replace(options, output_dir=work / "removed")
    removed = edited(work, EDITS["statement removed"][0], "removed.yaml")
    removal = next(build_pack(removed, options).folder.glob("*.html"))
    assert '<del class="block">' in removal.read_text(encoding="utf-8")
    found = {name: path for name, (path, _) in packs.items()}
    return {**found, "compared": compared, "compared-removal": removal}


def heading_titles(document: tree.Document) -> list[str]:
    """The titles of the page's headings: its banner's (the first cover's title, the
    page's h1), then the tree's headings."""
    first = document.blocks[0] if document.blocks else None
    banner = [first.title] if isinstance(first, tree.Cover) else []
    headings = [block for block in document.blocks if isinstance(block, tree.Heading)]
    return [" ".join(tree.plain_text(block.content).split()) for block in banner + headings]


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed (apt-get install default-jre-headless); vnu needs it")
    if not VNU_JAR.is_file():
        pytest.skip(f"vnu is not installed: npm install --prefix {CLIENTS} vnu-jar")
    return java


def test_vnu_finds_no_error_in_any_pack(pages: dict[str, Path]) -> None:
    java = _java()
    files = [str(path) for path in pages.values()]
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], json.dumps(errors, indent=1)[:4000]


# --- Chromium ------------------------------------------------------------------------


def _chromium_path() -> str:
    path = os.environ.get("BRIEFGEN_CHROMIUM") or shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def open_page(browser: Any, path: Path, width: int, scale: int = 1) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=scale)
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation(browser: Any, pages: dict[str, Path], width: int) -> None:
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core is not installed: npm install --prefix {CLIENTS} axe-core")
    found = {}
    for name, path in pages.items():
        page = open_page(browser, path, width)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        violations = [
            {"id": v["id"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
            for v in result["violations"]
        ]
        if violations:
            found[name] = violations
        page.close()
    assert found == {}, json.dumps(found, indent=1)[:4000]


@pytest.mark.parametrize(("width", "scale"), [(320, 1), (640, 2)])  # a phone; 1280 px at 200 %
def test_the_page_reflows_without_scrolling_sideways(
    browser: Any, pages: dict[str, Path], width: int, scale: int
) -> None:
    for name, path in pages.items():
        page = open_page(browser, path, width, scale)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.close()
        assert overflow <= 0, f"{name} is {overflow} px wider than a {width} px window"


def test_the_faces_load_and_focus_is_visible(browser: Any, pages: dict[str, Path]) -> None:
    page = open_page(browser, pages["asp23"], 1280)
    statuses = page.evaluate("[...document.fonts].map(face => face.status)")
    assert statuses and set(statuses) == {"loaded"}, statuses
    page.keyboard.press("Tab")
    focus = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)] })()"
    )
    page.close()
    assert focus[0] == "A" and focus[1] != "none" and focus[2] >= 2, focus


def accessibility_tree(browser: Any, path: Path) -> list[dict[str, Any]]:
    """The nodes of Chromium's accessibility tree of the page: what a screen reader gets."""
    page = open_page(browser, path, 1280)
    nodes: list[dict[str, Any]] = page.context.new_cdp_session(page).send(
        "Accessibility.getFullAXTree"
    )["nodes"]
    page.close()
    return [node for node in nodes if not node.get("ignored")]


def test_a_screen_reader_is_told_what_an_edition_added_and_removed(
    browser: Any, pages: dict[str, Path]
) -> None:
    nodes = accessibility_tree(browser, pages["compared"])
    names = [node.get("name", {}).get("value", "") for node in nodes]
    links = [node["name"]["value"] for node in nodes if node.get("role", {}).get("value") == "link"]
    added = [name for name in links if name.startswith("added ")]
    assert added and all(name.endswith(" end of addition") for name in added), links
    assert "removed" in names and "end of removal" in names
    # said, not shown: the words take no room on the page
    page = open_page(browser, pages["compared"], 1280)
    width = page.evaluate("getComputedStyle(document.querySelector('ins'), '::before').width")
    page.close()
    assert width == "1px"


def test_added_words_do_not_look_like_a_link(browser: Any, pages: dict[str, Path]) -> None:
    """A link is underlined once, in a colour as dark as the text's: added words are
    underlined twice (as a redline marks them), removed ones struck through."""
    page = open_page(browser, pages["compared"], 1280)
    found = page.evaluate(
        "(() => { const look = s => [...document.querySelectorAll(s)].map(e => {"
        " const c = getComputedStyle(e); return c.textDecorationLine + ' '"
        " + c.textDecorationStyle }); return [look('main ins'), look('main del'),"
        " look('main p a')] })()"
    )
    page.close()
    added, removed, links = (set(styles) for styles in found)
    assert added == {"underline double"} and removed == {"line-through solid"}, found
    assert links == {"underline solid"}, found


def test_in_forced_colours_the_draft_mark_stays_behind_the_text(
    browser: Any, pages: dict[str, Path]
) -> None:
    """A high-contrast theme draws the mark in the text's own colour: it is faded."""
    mark = "(() => { const s = getComputedStyle(document.body, '::before');"
    mark += " return [s.content, s.color, parseFloat(s.opacity)] })()"
    text = "getComputedStyle(document.body).color"
    found = {}
    for forced in ("none", "active"):
        page = browser.new_page(forced_colors=forced)
        page.goto(pages["draft-letter-no-closing"].as_uri())
        found[forced] = (page.evaluate(mark), page.evaluate(text))
        page.close()
    (content, colour, opacity), text_colour = found["active"]
    assert content == '"DRAFT"' and colour == text_colour and opacity <= 0.5, found
    assert found["none"][0][2] == 1, found  # the look's colour, as the PDF's


def ink(page: Any, box: dict[str, float]) -> int:
    """The dark pixels of the page inside ``box`` (x, y, width, height)."""
    from PIL import Image

    shot = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("L")
    return sum(shot.histogram()[:128])


def test_bold_text_of_a_family_without_a_bold_face_is_bold(browser: Any, tmp_path: Path) -> None:
    """Chinese has no bold face: the browser emboldens it, as the PDF does (with
    ``font-synthesis: none`` strong Chinese text and Chinese headings read as plain)."""
    from tests.test_pdf_writer import para, sample_meta
    from tests.trees import decided

    words = "关键合作"
    document = decided(
        sample_meta(), (para(tree.Text(words + " "), tree.Strong((tree.Text(words),))),)
    )
    (tmp_path / "page.html").write_bytes(write_html(document).data)
    page = open_page(browser, tmp_path / "page.html", 1280, scale=2)
    strong, plain = page.evaluate(
        "(() => { const s = document.querySelector('main strong'); const r = new Range();"
        " r.setStart(s.previousSibling, 0); r.setEnd(s.previousSibling, 4);"
        " const box = b => ({x: b.x, y: b.y, width: b.width, height: b.height});"
        " return [box(s.getBoundingClientRect()), box(r.getBoundingClientRect())] })()"
    )
    bold, regular = ink(page, strong), ink(page, plain)
    page.close()
    assert regular > 0 and bold > 1.15 * regular, (bold, regular)


def test_the_index_looks_as_in_the_pdf(browser: Any, tmp_path: Path) -> None:
    """Names in the contents' first level's style, entries in its second's, indented,
    without bullets (they were a bulleted list of names in body text)."""
    options = BuildOptions(output_dir=tmp_path, formats=("html",))
    path = next(build_pack(CASES / "valid" / "who-said-what.yaml", options).folder.glob("*.html"))
    page = open_page(browser, path, 1280)
    found = page.evaluate(
        "(() => { const style = e => getComputedStyle(e);"
        " const name = document.querySelector('.index > li > p');"
        " const entry = document.querySelector('.index > li > ul > li');"
        " return [style(name).fontWeight, style(name.parentElement).listStyleType,"
        " style(entry).listStyleType, entry.querySelector('a').getBoundingClientRect().x"
        " - name.getBoundingClientRect().x] })()"
    )
    page.close()
    look = default_look()
    assert found[:3] == ["700" if look.contents_level(1).bold else "400", "none", "none"]
    # the look's points as fractions of the body's size, 16 px in a browser
    indent = look.contents_level(2).indent / look.text.body.size * 16
    assert indent > 0 and found[3] == pytest.approx(indent, abs=0.5)


# --- print ---------------------------------------------------------------------------


def printed(browser: Any, path: Path) -> PdfReader:
    page = browser.new_page()
    page.goto(path.as_uri())
    data = page.pdf(prefer_css_page_size=True, outline=True, tagged=True)
    page.close()
    return PdfReader(io.BytesIO(data))


def outline(reader: PdfReader, items: list[Any] | None = None) -> Iterator[tuple[str, int]]:
    """The outline's titles and 1-based pages, in reading order."""
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from outline(reader, item)
        else:
            yield item.title, reader.get_destination_page_number(item) + 1


def test_print_has_the_pages_and_headings_of_the_pdf(browser: Any, tmp_path: Path) -> None:
    result = build_pack(ASP23, BuildOptions(output_dir=tmp_path, formats=("pdf", "html")))
    pdf = PdfReader(next(result.folder.glob("*.pdf")))
    reader = printed(browser, next(result.folder.glob("*.html")))
    assert abs(len(reader.pages) - len(pdf.pages)) <= 1, (len(reader.pages), len(pdf.pages))
    document = compose_pack(load_session(ASP23))
    headings = [b for b in document.blocks if isinstance(b, tree.Heading)]
    entries = list(outline(reader))
    # spaces of every kind as one (a date's day and month are joined by a no-break space)
    assert [" ".join(title.split()) for title, _ in entries] == heading_titles(document)
    texts = [page.extract_text() for page in reader.pages]
    for title, number in entries:
        assert " ".join(title.split()) in " ".join(texts[number - 1].split()), title
    assert entries[0] == (document.meta.title, 1)  # the banner's title, the page's h1
    # Every plenary starts a page; the cover carries no running header or page label.
    tops = [number for (_, number), h in zip(entries[1:], headings, strict=True) if h.level == 1]
    assert len(set(tops)) == len(tops) and tops == sorted(tops)
    assert "Page" not in texts[0] and f"Page 2 of {len(texts)}" in texts[1]
    assert document.meta.title in texts[1]


def test_printed_web_links_show_their_address(
    browser: Any, packs: dict[str, tuple[Path, tree.Document]]
) -> None:
    """On paper "Read the statement online" is its address, in brackets after it; a
    link that shows its address (a website in the annex) is not given it twice, and
    on screen no link is."""
    path, _ = packs["full-featured"]
    reader = printed(browser, path)
    # spaces and the address's isolate (LRI ... PDI, which pypdf reads as spaces) left out
    text = re.sub(r"[\s\u2066\u2069]+", "", "".join(p.extract_text() for p in reader.pages))
    statement = "https://example.org/statements/ea4-opening.pdf"
    assert f"Readthestatementonline({statement})" in text, text
    assert "programmeofwork(https://example.org/sessions/ea4/programme)" in text  # a summary's
    assert "ECJExampleCoalitionforJusticehttps://example.orgERW" in text  # shown once
    page = open_page(browser, path, 1280)
    shown = page.evaluate(
        "[...document.querySelectorAll('a')].map(a => getComputedStyle(a, '::after').content)"
    )
    page.close()
    assert set(shown) == {"none"}, shown


def _letters(title: str) -> list[str]:
    """A title's letters, sorted; a title Chromium wrote twice over counts once (it does
    that for a heading that its layout moved to the next page)."""
    letters = "".join(char for char in title if not char.isspace())
    for times in (2, 3):
        part = letters[: len(letters) // times]
        if len(letters) % times == 0 and part * times == letters:
            letters = part
    return sorted(letters)


def test_every_pack_prints_with_its_headings(
    browser: Any, packs: dict[str, tuple[Path, tree.Document]]
) -> None:
    """The printed outline holds the tree's headings, in order, on pages in order."""
    for name, (path, document) in packs.items():
        reader = printed(browser, path)
        entries = list(outline(reader))
        # Chromium writes a right-to-left title's words in the order they are shown, and
        # drops no-break spaces: the titles' letters are compared.
        letters = [_letters(title) for title, _ in entries]
        assert letters == [_letters(title) for title in heading_titles(document)], name
        numbers = [number for _, number in entries]
        assert numbers == sorted(numbers), name
        breaks = sum(isinstance(block, tree.PageBreak) for block in document.blocks)
        assert len(reader.pages) > breaks, name
