"""Every use of python-docx's private internals, in one place.

python-docx's public API opens, edits and saves documents; the DOCX writer also needs
its package machinery (to zip the package deterministically), its relationships,
header and footer classes, and the properties and helpers its ``oxml`` element classes
add to lxml elements (style ids, ``get_or_add_*``, ``xpath`` that knows the ``w:``
prefix). Each function here wraps one such internal and says which; the rest of the
writer calls these and nothing private. ``tests/test_library_internals.py`` exercises
each one directly, naming it when it fails, and ``pyproject.toml`` bounds python-docx
to the versions they were checked against: a new python-docx is tried there first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.opc.rel import Relationships
from docx.oxml.ns import nsmap, qn
from docx.section import _Footer, _Header
from docx.shared import Length
from lxml.etree import _Element as Element

Story = _Header | _Footer
"""A section's header or footer (python-docx's ``docx.section._Header``, ``_Footer``)."""

THUMBNAIL = RELATIONSHIP_TYPE.THUMBNAIL
"""The package relationship to a preview image (``docx.opc.constants``)."""


# --- Names ----------------------------------------------------------------------------


def tag(prefixed: str) -> str:
    """The Clark name ``{uri}local`` of a prefixed name such as ``w:p`` (``oxml.ns.qn``)."""
    name: str = qn(prefixed)
    return name


def namespace(prefix: str) -> str:
    """The URI of a WordprocessingML prefix such as ``w`` or ``pic`` (``oxml.ns.nsmap``)."""
    return nsmap[prefix]


def xpath(element: Element, query: str) -> list[Any]:
    """Evaluate ``query`` on an element of python-docx; its prefixes (``w:``...) are known
    (``BaseOxmlElement.xpath``)."""
    found: list[Any] = element.xpath(query)
    return found


# --- The document and its parts -------------------------------------------------------


def body(document: DocxDocument) -> Element:
    """The document's ``w:body`` (``CT_Document.body``)."""
    element: Element = document.element.body
    return element


def numbering(document: DocxDocument) -> Element:
    """The ``w:numbering`` of the numbering part, made if absent (``part.numbering_part``)."""
    element: Element = document.part.numbering_part.element
    return element


def drop_package_relationships(document: DocxDocument, reltype: str) -> None:
    """Drop the package's relationships of ``reltype`` (``OpcPackage.rels``)."""
    _drop(document.part.package.rels, reltype)


def drop_document_relationships(document: DocxDocument, reltype: str) -> None:
    """Drop the main document part's relationships of ``reltype`` (``Part.rels``)."""
    _drop(document.part.rels, reltype)


def _drop(rels: Relationships, reltype: str) -> None:
    for rid in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
        del rels[rid]


def add_hyperlink(document: DocxDocument, url: str, rid: str) -> None:
    """Relate ``url`` to the document part as an external hyperlink with id ``rid``
    (``Relationships.add_relationship``)."""
    document.part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, rid, is_external=True)


def new_picture(
    document: DocxDocument,
    path: str | Path | BinaryIO,
    *,
    width: Length | None = None,
    height: Length | None = None,
) -> Element:
    """A ``wp:inline`` picture of the image at ``path`` (or in a binary stream), added to
    the package at ``width`` or ``height`` (``DocumentPart.new_pic_inline``).

    Its distances from the text are written as none: python-docx leaves them out, and
    LibreOffice then keeps its own default of 1/8 inch on each side, which set the
    cover's logo that far right of the margin.
    """
    image = str(path) if isinstance(path, str | Path) else path
    inline: Element = document.part.new_pic_inline(image, width=width, height=height)
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    return inline


def describe_picture(inline: Element, text: str) -> None:
    """Give a ``wp:inline`` picture its alternate text, ``descr`` of its ``wp:docPr``
    (``CT_Inline.docPr``)."""
    inline.docPr.set("descr", text)


def decorate_picture(inline: Element, extension: str, namespace: str) -> None:
    """Mark a ``wp:inline`` picture as decoration: Office's ``decorative`` element from
    ``namespace`` in extension ``extension`` of its ``wp:docPr`` (``CT_Inline.docPr``)."""
    extensions = inline.docPr.makeelement(qn("a:extLst"), {})
    extension_element = extensions.makeelement(qn("a:ext"), {"uri": extension})
    extension_element.append(
        extension_element.makeelement(
            f"{{{namespace}}}decorative", {"val": "1"}, {"adec": namespace}
        )
    )
    extensions.append(extension_element)
    inline.docPr.append(extensions)


def story_root(story: Story) -> Element:
    """The ``w:hdr`` or ``w:ftr`` at the root of a header's or footer's part, the part made
    if needed (``story.part``, which python-docx says is not an interface property)."""
    element: Element = story.part.element
    return element


# --- Style elements -------------------------------------------------------------------


def style_name(style: Element) -> str:
    """A ``w:style``'s name, "" when it has none (``CT_Style.name_val``)."""
    name: str | None = style.name_val
    return name or ""


def style_id(style: Element) -> str:
    """A ``w:style``'s id (``CT_Style.styleId``)."""
    value: str = style.styleId
    return value


def set_style_id(style: Element, value: str) -> None:
    """Set a ``w:style``'s id (``CT_Style.styleId``)."""
    style.styleId = value


def set_based_on(style: Element, value: str) -> None:
    """Base a ``w:style`` on the style of id ``value`` (``CT_Style.basedOn_val``)."""
    style.basedOn_val = value


def style_with_id(styles: Element, value: str) -> Element | None:
    """The ``w:style`` of ``w:styles`` with id ``value``, if any (``CT_Styles.get_by_id``)."""
    found: Element | None = styles.get_by_id(value)
    return found


def run_properties(style: Element) -> Element:
    """A style's ``w:rPr``, made if absent (``get_or_add_rPr``)."""
    element: Element = style.get_or_add_rPr()
    return element


def paragraph_properties(style: Element) -> Element:
    """A style's ``w:pPr``, made if absent (``get_or_add_pPr``)."""
    element: Element = style.get_or_add_pPr()
    return element


# --- The package ----------------------------------------------------------------------


def package_entries(document: DocxDocument) -> dict[str, bytes]:
    """Every member of the package by name, with its bytes, as python-docx would zip them.

    python-docx's ``save`` stamps zip entries with the current time, so its package
    writer's steps (``PackageWriter._write_content_types_stream``, ``_write_pkg_rels``,
    ``_write_parts``) fill a collector instead, after each part is marshalled
    (``Part.before_marshal``).
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
    return dict(entries)


class _Entries(dict[str, bytes]):
    """Stands in for python-docx's zip writer: keeps each entry's bytes by member name."""

    def write(self, pack_uri: PackURI, blob: bytes | str) -> None:
        self[pack_uri.membername] = blob.encode() if isinstance(blob, str) else blob
