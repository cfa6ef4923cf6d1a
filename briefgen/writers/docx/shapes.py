"""Shapes placed on the page behind the text: the cover's band and rule (DrawingML), and
the DRAFT mark as Word writes a watermark (VML WordArt), as WordprocessingML text.

Every value passes through ``xmltext.escape``, as in ``fragment``.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.writers.docx.xmltext import escape

EMU_PER_POINT = 12700
# Word 2010's drawing shapes, and VML (Word's watermarks), which python-docx does not name.
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_VML_NAMESPACES = {
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}
# Word's definition of the "plain text" WordArt shape (type 136) that its watermarks use.
_TEXT_SHAPE_FORMULAS = (
    "sum #0 0 10800;prod #0 2 1;sum 21600 0 @1;sum 0 0 @2;sum 21600 0 @3;if @0 @3 0;"
    "if @0 21600 @1;if @0 0 @2;if @0 @4 21600;mid @5 @6;mid @8 @5;mid @7 @8;mid @6 @7;"
    "sum @6 0 @5"
)
_TEXT_SHAPE_TYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{equation}"/>' for equation in _TEXT_SHAPE_FORMULAS.split(";"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom"'
    ' o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight"'
    ' xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)
SHAPE_NAMESPACES = {"wps": _WPS, **_VML_NAMESPACES}
# Office's mark of a drawing as decoration (Alt Text > "Mark as decorative"): screen
# readers skip it and Word's accessibility checker asks no alternate text of it.
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_DECORATIVE = (
    f'<a:extLst><a:ext uri="{DECORATIVE_EXTENSION}">'
    f'<adec:decorative xmlns:adec="{DECORATIVE_NAMESPACE}" val="1"/></a:ext></a:extLst>'
)


def page_shape_run(shape: PageShape) -> str:
    """A run holding a rectangle placed on the page, behind the text (the cover's band
    and rule), marked as decoration."""
    x, y, width, height = (round(v * EMU_PER_POINT) for v in shape.frame)
    position = "".join(
        f'<wp:position{axis} relativeFrom="page"><wp:posOffset>{offset}</wp:posOffset>'
        f"</wp:position{axis}>"
        for axis, offset in (("H", x), ("V", y))
    )
    return (
        '<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0"'
        f' simplePos="0" relativeHeight="{shape.shape_id}" behindDoc="1" locked="1"'
        ' layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'{position}<wp:extent cx="{width}" cy="{height}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape.shape_id}" name="{escape(shape.name)}">{_DECORATIVE}</wp:docPr>'
        f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{_WPS}"><wps:wsp>'
        f"<wps:cNvSpPr/><wps:spPr>{_frame(width, height)}"
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(shape.fill)}'
        "<a:ln><a:noFill/></a:ln></wps:spPr>"
        '<wps:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0"/>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )


def watermark_run(mark: Watermark) -> str:
    """A run holding a watermark as Word writes one: a WordArt shape centred on the page."""
    style = ";".join(
        (
            "position:absolute",
            "margin-left:0",
            "margin-top:0",
            f"width:{mark.width:.1f}pt",
            f"height:{mark.height:.1f}pt",
            f"rotation:{mark.rotation % 360:g}",
            "z-index:-251657216",
            "mso-position-horizontal:center",
            "mso-position-horizontal-relative:page",
            "mso-position-vertical:center",
            "mso-position-vertical-relative:page",
        )
    )
    font = f"font-family:&quot;{escape(mark.font)}&quot;;font-size:1pt" + (
        ";font-weight:bold" if mark.bold else ""
    )
    return (
        f"<w:r><w:pict>{_TEXT_SHAPE_TYPE}"
        f'<v:shape id="PowerPlusWaterMarkObject{mark.shape_id}" o:spid="_x0000_s{mark.shape_id}"'
        f' type="#_x0000_t136" style="{style}" o:allowincell="f"'
        f' fillcolor="{escape(mark.colour)}" stroked="f">'
        f'<v:textpath style="{font}" string="{escape(mark.text)}"/>'
        '<w10:wrap anchorx="page" anchory="page"/></v:shape></w:pict></w:r>'
    )


@dataclass(frozen=True, slots=True)
class Watermark:
    """Text across the page behind the text: its box in points, clockwise rotation in
    degrees, face and colour (``#RRGGBB``); ``shape_id`` is unique in the document."""

    shape_id: int
    text: str
    width: float
    height: float
    rotation: float
    font: str
    bold: bool
    colour: str


def _frame(width: int, height: int) -> str:
    return f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'


def _fill(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{escape(colour.lstrip("#"))}"/></a:solidFill>'


@dataclass(frozen=True, slots=True)
class PageShape:
    """A rectangle placed on the page: its frame (x and y from the page's top left
    corner, width, height, in points) and fill (``#RRGGBB``). ``shape_id`` is unique in
    the document (``wp:docPr``)."""

    shape_id: int
    name: str
    frame: tuple[float, float, float, float]
    fill: str
