"""What PDF/UA-1 and PDF/A-2u ask of the file besides its structure: metadata, colour.

The look's ``pdf.standard`` names the standards a pack claims: ``ua-1`` (ISO 14289-1:
tagged, see ``tagging``) and ``a-2u`` (ISO 19005-2, level U: archival, every character
with its Unicode). Either writes XMP metadata that repeats the info dictionary (title,
author, subject, keywords, creator, producer, dates) and names the parts claimed;
``ua-1`` also has viewers show the title (set on the template); ``a-2u`` adds the sRGB
output intent all colours are drawn in (``briefgen/data/sRGB.icc``).

What both ask of the rest, briefgen's PDF already is: every font embedded (TrueType
subsets) with a ``/ToUnicode`` map, the language on the catalog, no transparency,
encryption, JavaScript or external content, link annotations printed (``tagging``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

from briefgen import tree
from briefgen.writers.pdf.reportlab_private import (
    PlainStream,
    catalog,
    producer,
    raise_pdf_version,
    register,
    set_entries,
)

STANDARDS = ("ua-1", "a-2u")
"""What the look may name under ``pdf.standard``."""

CREATOR = "briefgen"
"""The info dictionary's ``/Creator`` and the XMP's ``xmp:CreatorTool``."""

_ICC = "sRGB.icc"
_SRGB = "sRGB IEC61966-2.1"


def claim(canv: Canvas, meta: tree.Metadata, standard: tuple[str, ...]) -> None:
    """Write the metadata and output intent of the ``standard`` claimed; before saving."""
    if not standard:
        return
    raise_pdf_version(canv, (1, 7))  # both standards build on ISO 32000-1 (PDF 1.7)
    xmp = xmp_metadata(meta, producer(canv), standard)
    metadata = PlainStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), xmp
    )
    entries: dict[str, object] = {"Metadata": metadata}
    if "a-2u" in standard:
        profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile())
        intent = PDFDictionary(
            {
                "Type": PDFName("OutputIntent"),
                "S": PDFName("GTS_PDFA1"),
                "OutputConditionIdentifier": PDFString(_SRGB),
                "Info": PDFString(_SRGB),
                "RegistryName": PDFString("http://www.color.org"),
                "DestOutputProfile": register(canv, profile, "OutputProfile"),
            }
        )
        entries["OutputIntents"] = PDFArray([intent])
    set_entries(catalog(canv), **entries)


@cache
def srgb_profile() -> bytes:
    """The sRGB ICC profile (version 2, from Debian's icc-profiles-free; zlib licence)."""
    return (Path(__file__).resolve().parents[2] / "data" / _ICC).read_bytes()


def xmp_date(meta: tree.Metadata) -> str:
    """``meta.created`` as XMP writes dates, the same instant as the info dictionary's."""
    moment = meta.created
    text = moment.isoformat(timespec="seconds")
    return text if moment.tzinfo is not None else text + "+00:00"


def xmp_metadata(meta: tree.Metadata, producer_name: str, standard: tuple[str, ...]) -> bytes:
    """The XMP packet: the info dictionary's entries, and the parts of the standards."""
    date = xmp_date(meta)
    keywords = ", ".join(meta.keywords)
    claims = []
    if "a-2u" in standard:
        claims += [
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>U</pdfaid:conformance>",
        ]
    if "ua-1" in standard:
        claims.append("<pdfuaid:part>1</pdfuaid:part>")
    lang = escape(meta.language)
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt>
<rdf:li xml:lang="x-default">{escape(meta.subject)}</rdf:li>
</rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{escape(keywords)}</pdf:Keywords>
<pdf:Producer>{escape(producer_name)}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
{"".join(claims)}
</rdf:Description>
{_PDFUA_EXTENSION if "ua-1" in standard and "a-2u" in standard else ""}
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return text.encode("utf-8")


# PDF/A admits only the XMP schemas it lists, and those a file describes: pdfuaid is
# described here (as ISO 14289-1 gives it).
_PDFUA_EXTENSION = """<rdf:Description rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description
>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""
