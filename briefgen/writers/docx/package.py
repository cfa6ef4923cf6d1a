"""Everything around the DOCX body: the base document, styles, page set-up, numbering,
core properties and the deterministic bytes of the package.

The base is python-docx's default template or, like pandoc's ``--reference-doc``, a
reference ``.docx`` whose styles, page set-up (size and margins win over ``meta.paper``),
headers and footers are kept while its body content is dropped.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.opc.rel import Relationships
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from lxml.etree import _Element as Element

from briefgen import tree
from briefgen.writers.docx import oxml as docx_xml

Paper = Literal["A4", "Letter"]
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LAST_MODIFIED_BY = "briefgen"
_PAPER = {  # width, height, margin
    "A4": (Twips(11906), Twips(16838), Twips(1418)),
    "Letter": (Twips(12240), Twips(15840), Twips(1440)),
}
_OPC_FIRST = ("[Content_Types].xml", "_rels/.rels")
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def open_base(reference: Path | None) -> DocxDocument:
    """Open the reference (body emptied, final ``w:sectPr`` kept) or the default template."""
    document = docx.Document(str(reference) if reference is not None else None)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _drop_relationships(document.part.package.rels, RT.THUMBNAIL)
    _drop_relationships(document.part.rels, STYLES_WITH_EFFECTS)
    return document


def _drop_relationships(rels: Relationships, reltype: str) -> None:
    """Drop the parts the writer would leave stale.

    A preview image of the template would mislead file browsers. ``stylesWithEffects``
    is Word 2010's copy of the styles part: it would lack the styles added here, and
    it is over half of the default template's bytes.
    """
    for rid in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
        del rels[rid]


def set_paper(document: DocxDocument, paper: Paper) -> None:
    """Set page size and margins for ``paper`` (2.5 cm on A4, 1 inch on Letter)."""
    width, height, margin = _PAPER[paper]
    for section in document.sections:
        section.page_width, section.page_height = width, height
        section.top_margin = section.bottom_margin = margin
        section.left_margin = section.right_margin = margin
        section.header_distance = section.footer_distance = Twips(709)


def text_width(document: DocxDocument) -> int:
    """Return the width between the margins of the last section, in twips."""
    section = document.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    return int(Twips(width).twips) if width > 0 else 9000


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
    """Make ``language`` the default of the document (styles ``w:docDefaults``)."""
    rpr = document.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")
    )
    if rpr is None:
        return
    attribute, tag = docx_xml.lang_attribute(language)
    docx_xml.language(rpr, [("val", tag)] + ([(attribute, tag)] if attribute == "bidi" else []))


# The extended properties of python-docx's template describe a one-page document made
# by "Microsoft Macintosh Word"; say who made this one and leave counts to the reader.
APP_PROPERTIES_MEMBER = "docProps/app.xml"
APP_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>briefgen</Application></Properties>"
)


def to_bytes(document: DocxDocument) -> bytes:
    """Zip the package with fixed entry dates, order, attributes and compression.

    python-docx's own ``save`` stamps entries with the current time, so its package
    writer's steps fill an in-memory collector instead and this zips the entries once.
    """
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    entries = _Entries()
    writer: Any = PackageWriter  # its steps are untyped and typed for its own zip writer
    writer._write_content_types_stream(entries, parts)
    writer._write_pkg_rels(entries, package.rels)
    writer._write_parts(entries, parts)
    if APP_PROPERTIES_MEMBER in entries:
        entries[APP_PROPERTIES_MEMBER] = APP_PROPERTIES
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        names = [n for n in _OPC_FIRST if n in entries] + sorted(set(entries) - set(_OPC_FIRST))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


class _Entries(dict[str, bytes]):
    """Stands in for python-docx's zip writer: keeps each entry's bytes by member name."""

    def write(self, pack_uri: PackURI, blob: bytes | str) -> None:
        self[pack_uri.membername] = blob.encode() if isinstance(blob, str) else blob


class Styles:
    """Resolves style names to style ids once, adding missing styles on first use.

    Names are Word's internal ones (``heading 1``, ``toc 1``), matched case-insensitively.
    A missing built-in style is copied from python-docx's default template (without its
    numbering: list paragraphs carry their own); briefgen's own styles are defined here.
    """

    def __init__(self, document: DocxDocument) -> None:
        self._document = document
        self._element = document.styles.element
        self._by_name = {s.name_val.lower(): s for s in self._element.findall(qn("w:style"))}
        self._ids: dict[str, str] = {}

    def id(self, name: str) -> str:
        """Return the style id of ``name``, adding the style if the document lacks it."""
        style_id = self._ids.get(name)
        if style_id is None:
            style = self._by_name.get(name.lower())
            if style is None:
                style = self._add(name)
            style_id = self._ids[name] = style.styleId
        return style_id

    def _add(self, name: str) -> Element:
        own = name == "Hyperlink" or name in _PARAGRAPH_LOOKS
        template = None if own else _default_styles().get(name.lower())
        if template is None:
            style = _define(self._document, name)
        else:
            style = copy.deepcopy(template)
            for num_pr in style.findall(f"{qn('w:pPr')}/{qn('w:numPr')}"):
                num_pr.getparent().remove(num_pr)
            self._element.append(style)
            for ref in ("basedOn", "link", "next"):
                self._ensure_ref(style, ref)
        self._by_name[name.lower()] = style
        return style

    def _ensure_ref(self, style: Element, ref: str) -> None:
        """Add the style that ``style`` refers to by ``w:ref``, or drop a dangling link."""
        target_id = style.find(qn(f"w:{ref}"))
        if target_id is None or self._element.get_by_id(target_id.get(qn("w:val"))) is not None:
            return
        target = next(
            (s for s in _default_styles().values() if s.styleId == target_id.get(qn("w:val"))), None
        )
        if target is None:
            style.remove(target_id)
        else:
            self.id(target.name_val)


def _define(document: DocxDocument, name: str) -> Element:
    """Create one of briefgen's own styles (or a plain paragraph style for unknown names)."""
    styles = document.styles
    if name == "Hyperlink":
        link = styles.add_style(name, WD_STYLE_TYPE.CHARACTER, builtin=True)
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = True
        return link.element
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=name.startswith("toc "))
    style.base_style = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    look = _PARAGRAPH_LOOKS.get(name)
    if look is not None:
        look(style)
    return style.element


def _key_message(style: ParagraphStyle) -> None:
    style.quick_style = True
    style.paragraph_format.space_after = Pt(6)
    docx_xml.paragraph_box(
        style.element.get_or_add_pPr(), fill="EAF1FB", color="4F81BD", left_size=24
    )


def _byline(style: ParagraphStyle) -> None:
    style.quick_style = True
    style.font.italic = True
    style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _note(style: ParagraphStyle) -> None:
    style.quick_style = True
    style.font.size = Pt(9)
    style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _cover_line(style: ParagraphStyle) -> None:
    style.font.size = Pt(13)
    style.font.color.rgb = RGBColor(0x17, 0x36, 0x5D)
    style.paragraph_format.space_after = Pt(6)


def _draft_mark(style: ParagraphStyle) -> None:
    style.font.bold = True
    style.font.size = Pt(14)
    style.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _toc(level: int) -> Callable[[ParagraphStyle], None]:
    def look(style: ParagraphStyle) -> None:
        style.element.styleId = f"TOC{level}"  # Word's own id for its built-in "toc N"
        style.paragraph_format.left_indent = Twips(220 * (level - 1))
        style.paragraph_format.space_after = Pt(4)

    return look


_PARAGRAPH_LOOKS: dict[str, Callable[[ParagraphStyle], None]] = {
    "Key Message": _key_message,
    "Byline": _byline,
    "Note": _note,
    "Cover Line": _cover_line,
    "Draft Mark": _draft_mark,
    **{f"toc {level}": _toc(level) for level in (1, 2, 3)},
}


class ListNumbering:
    """briefgen's own bullet and decimal list definitions in the numbering part.

    Every list paragraph names its numbering directly, so lists look the same with any
    reference document; each ordered list gets its own ``w:num`` that restarts at 1.
    """

    def __init__(self, document: DocxDocument) -> None:
        self._numbering = document.part.numbering_part.element
        used = [int(a) for a in self._numbering.xpath("./w:abstractNum/@w:abstractNumId")]
        self._bullet_abstract = max(used, default=0) + 1
        self._ordered_abstract = self._bullet_abstract + 1
        docx_xml.abstract_numbering(self._numbering, self._bullet_abstract, ordered=False)
        docx_xml.abstract_numbering(self._numbering, self._ordered_abstract, ordered=True)
        nums = [int(n) for n in self._numbering.xpath("./w:num/@w:numId")]
        self._next_num = max(nums, default=0) + 1
        self.bullets = self._add(self._bullet_abstract, None)

    def ordered(self, level: int) -> int:
        """Return a new numId for an ordered list at ``level`` that starts at 1."""
        return self._add(self._ordered_abstract, level)

    def _add(self, abstract_id: int, restart: int | None) -> int:
        num_id, self._next_num = self._next_num, self._next_num + 1
        docx_xml.numbering_instance(self._numbering, num_id, abstract_id, restart)
        return num_id


@cache
def _default_styles() -> dict[str, Element]:
    """Style elements of python-docx's default template, by internal name (read once)."""
    styles = docx.Document().styles.element
    return {s.name_val.lower(): s for s in styles.findall(qn("w:style")) if s.name_val}
