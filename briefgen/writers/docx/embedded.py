"""Fonts that travel inside the DOCX, and the theme that names them.

Word and LibreOffice draw a DOCX with the fonts installed on the reader's machine;
briefgen's faces are rarely there, so the pack would fall back to Calibri or DejaVu.
ECMA-376 Part 1 §17.8 lets a document carry its fonts: each face is stored as an
obfuscated font part (its first 32 bytes XORed with a key, the GUID named in the
font table), and the settings ask the reader to use embedded fonts. Faces are
embedded whole, so that text typed later in Word still finds its glyphs.

This works on the package's members (name -> bytes) just before they are zipped.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from briefgen.look import Look
from briefgen.text.fonts import (
    FAMILIES,
    SLOTS,
    Face,
    east_asian_family,
    fallback_families,
    fallback_slots,
    shipped_face,
)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_RELATIONSHIP = f"{_R}/font"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_TABLE = "word/fontTable.xml"
FONT_TABLE_RELS = "word/_rels/fontTable.xml.rels"
SETTINGS = "word/settings.xml"
THEME = "word/theme/theme1.xml"
CONTENT_TYPES = "[Content_Types].xml"
_KEYS = uuid.UUID("6f1c7a52-9a43-4c1e-9a51-0d4f2b8e6a10")  # namespace of the font keys
# The CT_Settings children that precede embedTrueTypeFonts (it goes after the last present).
_BEFORE_EMBEDDING = frozenset(
    [
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
    ]
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True, slots=True)
class Family:
    """A font family as the document names it, and its shipped faces by slot."""

    name: str
    faces: dict[str, Face]  # "Regular", "Bold", "Italic", "BoldItalic" -> its face


_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")


def finish_fonts(look: Look, entries: dict[str, bytes], *, themed: bool) -> None:
    """Name the look's fonts in the theme, and embed their faces if the look says so.

    The Arabic faces are embedded only where the pack holds Arabic script, a fallback
    family's only where a run names it, and never one too large to carry (``carried``).
    """
    fonts = look.font
    if themed:
        set_theme_fonts(entries, fonts.family, east_asian_family(), fonts.arabic)
    if not fonts.embed:
        return
    families = [Family(fonts.family, fonts.faces())]
    text = b"".join(data for name, data in entries.items() if _is_story(name))
    story = text.decode("utf-8", "replace")
    if _ARABIC_SCRIPT.search(story):
        families.append(_shipped_family(fonts.arabic))
    families += [
        Family(fallback.family, fallback_slots(fallback))
        for fallback in fallback_families()
        if fallback.carried and f'w:ascii="{fallback.family}"' in story  # a run it draws
    ]
    embed_fonts(entries, families)


def _shipped_family(name: str) -> Family:
    return Family(name, {slot: shipped_face(face) for slot, face in FAMILIES[name].items()})


def _is_story(member: str) -> bool:
    """Whether a package member holds text of the document (its body, headers, footers)."""
    return member == "word/document.xml" or member.startswith(("word/header", "word/footer"))


def embed_fonts(entries: dict[str, bytes], families: Iterable[Family]) -> None:
    """Add the faces of ``families`` to the package as obfuscated font parts.

    Fonts a reference document embedded (a pack saved as one does) are dropped first:
    the font table's relationships are written anew, for these faces only.
    """
    fonts = _parse(entries[FONT_TABLE])
    _drop_embedded(entries, fonts)
    # A default namespace, not a prefix: LibreOffice reads relationships by local name.
    relationships = etree.Element(
        f"{{{_PACKAGE_RELATIONSHIPS}}}Relationships", nsmap={None: _PACKAGE_RELATIONSHIPS}
    )
    number = 0
    for family in families:
        font = _font_entry(fonts, family.name)
        embedded_files: set[Path] = set()
        for slot in SLOTS:
            face = family.faces.get(slot)
            if face is None or face.path in embedded_files:
                continue  # a family without italics: Word slants the upright face
            embedded_files.add(face.path)
            number += 1
            key = font_key(face.name)
            target = f"fonts/font{number}.odttf"
            entries[f"word/{target}"] = obfuscate(face.path.read_bytes(), key)
            rid = f"rIdFont{number}"
            etree.SubElement(
                relationships,
                f"{{{_PACKAGE_RELATIONSHIPS}}}Relationship",
                Id=rid,
                Type=FONT_RELATIONSHIP,
                Target=target,
            )
            embed = etree.SubElement(font, f"{{{_W}}}embed{slot}")
            embed.set(f"{{{_R}}}id", rid)
            embed.set(f"{{{_W}}}fontKey", key)
    if number:
        entries[FONT_TABLE] = _serialize(fonts)
        entries[FONT_TABLE_RELS] = _serialize(relationships)
        entries[CONTENT_TYPES] = _with_default_type(entries[CONTENT_TYPES], "odttf")
        entries[SETTINGS] = _with_embedding_on(entries[SETTINGS])


def _drop_embedded(entries: dict[str, bytes], fonts: etree._Element) -> None:
    """Remove every embedded face from the package and its entries from the font table."""
    for font in fonts.iter(f"{{{_W}}}font"):
        for embed in [child for child in font if child.tag.startswith(f"{{{_W}}}embed")]:
            font.remove(embed)
    for name in [name for name in entries if name.startswith("word/fonts/")]:
        del entries[name]
    entries.pop(FONT_TABLE_RELS, None)


def font_key(face: str) -> str:
    """The GUID that obfuscates ``face``, the same in every build (``{XXXXXXXX-...}``)."""
    return "{" + str(uuid.uuid5(_KEYS, face)).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes of a font with the key's bytes, read from its end (§17.8.1).

    The same operation undoes it.
    """
    key_bytes = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ key_bytes[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


def set_theme_fonts(
    entries: dict[str, bytes], latin: str, east_asian: str, complex_script: str
) -> None:
    """Make the theme's heading and body fonts the look's (Word's font list shows them)."""
    theme = _parse(entries[THEME])
    for scheme in theme.iter(f"{{{_A}}}majorFont", f"{{{_A}}}minorFont"):
        for child in scheme:
            if child.tag == f"{{{_A}}}latin":
                child.set("typeface", latin)
            elif child.tag == f"{{{_A}}}ea":
                child.set("typeface", east_asian)
            elif child.tag == f"{{{_A}}}cs" or child.get("script") == "Arab":
                child.set("typeface", complex_script)
    entries[THEME] = _serialize(theme)


def _font_entry(fonts: etree._Element, name: str) -> etree._Element:
    """The font table's ``w:font`` for ``name``, made afresh (an older one is replaced)."""
    for old in fonts.findall(f"{{{_W}}}font"):
        if old.get(f"{{{_W}}}name") == name:
            fonts.remove(old)
    font = etree.SubElement(fonts, f"{{{_W}}}font")
    font.set(f"{{{_W}}}name", name)
    for tag, value in (("charset", "00"), ("family", "swiss"), ("pitch", "variable")):
        etree.SubElement(font, f"{{{_W}}}{tag}").set(f"{{{_W}}}val", value)
    return font


def _with_default_type(content_types: bytes, extension: str) -> bytes:
    types = _parse(content_types)
    if not any(d.get("Extension") == extension for d in types):
        default = etree.Element(f"{{{_CONTENT_TYPES}}}Default")
        default.set("Extension", extension)
        default.set("ContentType", OBFUSCATED_FONT)
        types.insert(0, default)
    return _serialize(types)


def _with_embedding_on(settings_xml: bytes) -> bytes:
    """Settings with ``w:embedTrueTypeFonts`` at its place in CT_Settings."""
    settings = _parse(settings_xml)
    if settings.find(f"{{{_W}}}embedTrueTypeFonts") is None:
        earlier = [c for c in settings if etree.QName(c).localname in _BEFORE_EMBEDDING]
        position = settings.index(earlier[-1]) + 1 if earlier else 0
        settings.insert(position, etree.Element(f"{{{_W}}}embedTrueTypeFonts"))
    return _serialize(settings)


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _serialize(element: etree._Element) -> bytes:
    data: bytes = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
