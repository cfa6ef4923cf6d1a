"""Everything around the DOCX body: the base document, styles, page set-up, numbering,
core properties and the deterministic bytes of the package.

The base is python-docx's default template or, like pandoc's ``--reference-doc``, a
reference ``.docx`` whose styles, page set-up (size and margins win over ``meta.paper``),
headers and footers are kept while its body content is dropped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document as DocxDocument
from docx.shared import Length

from briefgen import tree
from briefgen.look import Look
from briefgen.writers.docx import docx_private
from briefgen.writers.docx import oxml as docx_xml

Paper = Literal["A4", "Letter"]
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LAST_MODIFIED_BY = "briefgen"
_OPC_FIRST = ("[Content_Types].xml", "_rels/.rels")
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def open_base(reference: Path | None) -> DocxDocument:
    """Open the reference (body emptied, final ``w:sectPr`` kept) or the default template."""
    document = docx.Document(str(reference) if reference is not None else None)
    body = docx_private.body(document)
    for child in list(body):
        if child.tag != docx_private.tag("w:sectPr"):
            body.remove(child)
    # Drop the parts the writer would leave stale. A preview image of the template
    # would mislead file browsers. ``stylesWithEffects`` is Word 2010's copy of the
    # styles part: it would lack the styles added here, and it is over half of the
    # default template's bytes.
    docx_private.drop_package_relationships(document, docx_private.THUMBNAIL)
    docx_private.drop_document_relationships(document, STYLES_WITH_EFFECTS)
    return document


def text_width(document: DocxDocument) -> int:
    """Return the width between the margins of the last section, in twips."""
    section = document.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    return Length(width).twips if width > 0 else 9000


def set_core_properties(document: DocxDocument, meta: tree.Metadata) -> None:
    """Set every core property explicitly, so nothing depends on the clock or the template."""
    props = document.core_properties
    props.title = _limit(meta.title)
    props.author = _limit(meta.author)
    props.subject = _limit(meta.subject)
    props.keywords = _limit(", ".join(meta.keywords))
    props.language = meta.language
    props.comments = ""
    props.category = ""
    props.last_modified_by = LAST_MODIFIED_BY
    props.revision = 1
    stamp = _utc(meta.created)
    props.created = props.modified = stamp


def _limit(text: str) -> str:
    """python-docx refuses core property values over 255 characters."""
    return text if len(text) <= 255 else text[:254] + "…"


def _utc(moment: datetime) -> datetime:
    """Return ``moment`` as naive UTC (naive input is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def set_default_language(document: DocxDocument, language: str) -> None:
    """Make ``language`` the default of the document (styles ``w:docDefaults``) and the
    language of its theme fonts (settings ``w:themeFontLang``)."""
    names = ("w:docDefaults", "w:rPrDefault", "w:rPr")
    rpr = document.styles.element.find("/".join(docx_private.tag(name) for name in names))
    if rpr is None:
        return
    attribute, tag = docx_xml.lang_attribute(language)
    # Word reads each character's language from the slot of its script: a Chinese pack
    # names its language in the East Asian slot, an Arabic one in the complex script one.
    docx_xml.language(rpr, [("val", tag)] + ([(attribute, tag)] if attribute != "val" else []))
    _set_theme_language(document, attribute, tag)


def set_hyphenation(document: DocxDocument, look: Look) -> None:
    """Turn Word's automatic hyphenation on (settings ``w:autoHyphenation``) when a text
    style of the look hyphenates; the styles that do not suppress it (``oxml``)."""
    if not any(style.hyphenate for _, style in look.text):
        return
    settings = document.settings.element
    if settings.find(docx_private.tag("w:autoHyphenation")) is not None:
        return
    tab_stop = settings.find(docx_private.tag("w:defaultTabStop"))
    if tab_stop is not None:  # CT_Settings puts it right after the default tab stop
        tab_stop.addnext(settings.makeelement(docx_private.tag("w:autoHyphenation"), {}))


# CT_Compat's children from doNotUseHTMLParagraphAutoSpacing on (ECMA-376 Part 1 17.15.1.21).
_CT_COMPAT_TAIL = """
    doNotUseHTMLParagraphAutoSpacing layoutRawTableWidth layoutTableRowsApart
    useWord97LineBreakRules doNotBreakWrappedTables doNotSnapToGridInCell
    selectFldWithFirstOrLastChar applyBreakingRules doNotWrapTextWithPunct
    doNotUseEastAsianBreakRules useWord2002TableStyleRules growAutofit useFELayout
    useNormalStyleForList doNotUseIndentAsNumberingTabStop useAltKinsokuLineBreakRules
    allowSpaceOfSameStyleInTable doNotSuppressIndentation doNotAutofitConstrainedTables
    autofitToFirstFixedWidthCell underlineTabInNumList displayHangulFixedWidth
    splitPgBreakAndParaMark doNotVertAlignCellWithSp doNotBreakConstrainedForcedTable
    doNotVertAlignInTxbx useAnsiKerningPairs cachedColBalance compatSetting
"""
_COMPAT_ORDER = tuple(_CT_COMPAT_TAIL.split())


def set_paragraph_spacing(document: DocxDocument) -> None:
    """Have the space between two paragraphs be the first's space after plus the
    second's space before, as Word and the PDF set it (settings ``w:compat``).

    Without ``w:doNotUseHTMLParagraphAutoSpacing``, which asks Word for nothing here
    (no paragraph's spacing is "auto"), LibreOffice takes the larger of the two
    instead: a heading after body text stood 6 points higher than in the PDF, and
    LibreOffice numbered the contents' pages from that tighter layout."""
    compat = document.settings.element.find(docx_private.tag("w:compat"))
    if compat is None:
        return
    flag = compat.makeelement(docx_private.tag("w:doNotUseHTMLParagraphAutoSpacing"), {})
    docx_xml.insert_ordered(compat, flag, _COMPAT_ORDER)


def _set_theme_language(document: DocxDocument, attribute: str, tag: str) -> None:
    """Name the pack's language in the settings' ``w:themeFontLang``, in its script's slot
    (python-docx's template says en-US and, for East Asian text, ja-JP)."""
    settings = document.settings.element
    theme = settings.find(docx_private.tag("w:themeFontLang"))
    if theme is None:
        return
    for slot in ("eastAsia", "bidi"):
        theme.attrib.pop(docx_private.tag(f"w:{slot}"), None)
    theme.set(docx_private.tag(f"w:{attribute}"), tag)


# The extended properties of python-docx's template describe a one-page document made
# by "Microsoft Macintosh Word"; say who made this one and leave counts to the reader.
APP_PROPERTIES_MEMBER = "docProps/app.xml"
APP_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>briefgen</Application></Properties>"
)


# Embedded fonts are most of a pack's bytes: the fastest level packs them 6 % larger in
# half the time (docs/performance.md).
_FONT_COMPRESSION, _COMPRESSION = 1, 6


def _compression_level(member: str) -> int:
    return _FONT_COMPRESSION if member.endswith(".odttf") else _COMPRESSION


def to_bytes(
    document: DocxDocument, finish: Callable[[dict[str, bytes]], None] | None = None
) -> bytes:
    """Zip the package with fixed entry dates, order, attributes and compression.

    python-docx's own ``save`` stamps entries with the current time, so the package's
    entries are collected in memory instead and zipped here once. ``finish`` may edit
    the entries (member name -> bytes) before they are zipped.
    """
    entries = docx_private.package_entries(document)
    if APP_PROPERTIES_MEMBER in entries:
        entries[APP_PROPERTIES_MEMBER] = APP_PROPERTIES
    if finish is not None:
        finish(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        names = [n for n in _OPC_FIRST if n in entries] + sorted(set(entries) - set(_OPC_FIRST))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=_compression_level(name))
    return out.getvalue()
