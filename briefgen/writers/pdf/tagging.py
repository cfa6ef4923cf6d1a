"""Tagged PDF: the structure tree, made while the tree is walked and drawn.

The writer makes one structure element (``Node``) for each thing a reader should meet,
in reading order, as it turns the document tree into flowables: the ``Document``, its
headings (``H1``...), paragraphs (``P``), lists (``L``, ``LI``, ``Lbl``, ``LBody``), tables
(``Table``, ``TR``, ``TH``, ``TD``), the contents (``TOC``, ``TOCI``), the key-message box
(``Div``), the logo (``Figure``) and links (``Link``). Flowables carry their element
and, when reportlab draws them, wrap what they draw in a marked-content sequence with a
number of its page (``/P <</MCID 3>> BDC ... EMC``), one per piece of a paragraph on
each page it lands on. Link annotations name their ``Link`` element and the element
names them back. What is not content (running header, footer, page numbers, draft
mark, rules, the cover band, table and box backgrounds, the contents' leaders, a table
header repeated on a later page) is drawn as an artifact.

Once everything is drawn, ``Tagger.write`` turns the elements into the file's
structure tree: the ``StructTreeRoot``, a ``StructElem`` per element, the parent tree
from each page's marked content and each annotation back to its element, and the
pages' ``/StructParents`` and ``/Tabs``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from briefgen.writers.pdf.reportlab_private import (
    RawObject,
    add_annotation,
    catalog,
    destination,
    page_reference,
    pages,
    register,
    set_entries,
)

# --- the structure --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marked:
    """A marked-content sequence: its page (from 1) and its number on that page."""

    page: int
    mcid: int


@dataclass(frozen=True, slots=True)
class Annotated:
    """A link annotation of an element, on its page."""

    page: int
    reference: PDFObjectReference


@dataclass(eq=False)
class Node:
    """A structure element: its type, its parent, and its kids in reading order."""

    role: str
    parent: Node | None = None
    kids: list[Node | Marked | Annotated] = field(default_factory=list)
    lang: str | None = None
    alt: str | None = None
    attributes: dict[str, str] | None = None
    """Layout or table attributes, as ``/A``: ``{"O": "Table", "Scope": "Column"}``."""

    def __deepcopy__(self, memo: dict[int, object]) -> Node:
        return self  # one element, however often reportlab copies what draws it

    def child(self, role: str, **options: Any) -> Node:
        """A new last kid of this element."""
        node = Node(role, self, **options)
        self.kids.append(node)
        return node

    def walk(self) -> Iterator[Node]:
        """This element and every element below it, in reading order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(kid for kid in reversed(node.kids) if isinstance(kid, Node))


@dataclass(eq=False)
class Tag:
    """What a paragraph's text belongs to: ``node``, and a ``Link`` below it for each of
    its links (their alternate descriptions in ``links``, in the order they are drawn)."""

    node: Node
    links: tuple[str, ...] = ()
    _link_nodes: dict[int, Node] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict[int, object]) -> Tag:
        return self  # reportlab copies a cell's flowables to try splitting them

    def link(self, number: int) -> Node:
        """The ``Link`` element of the paragraph's link ``number`` (from 0), made when
        its first piece is drawn, so that it stands among the paragraph's kids in order."""
        found = self._link_nodes.get(number)
        if found is None:
            alt = self.links[number] if number < len(self.links) else None
            found = self._link_nodes[number] = self.node.child("Link", alt=alt)
        return found


# --- drawing --------------------------------------------------------------------------


def tagger_of(canv: Canvas) -> Tagger | None:
    """The tagger of the document ``canv`` draws, if it is tagged."""
    tagger: Tagger | None = getattr(canv, "tagger", None)
    return tagger


@contextmanager
def artifact(canv: Canvas, operator: str = "/Artifact BMC") -> Iterator[None]:
    """Mark what the block draws as an artifact, if the document is tagged."""
    tagged = tagger_of(canv) is not None
    if tagged:
        canv.addLiteral(operator)
    yield
    if tagged:
        canv.addLiteral("EMC")


ARTIFACT = "/Artifact BMC"
HEADER = "/Artifact <</Type /Pagination /Subtype /Header>> BDC"
FOOTER = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
WATERMARK = "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC"
REPEATED = "/Artifact <</Type /Pagination>> BDC"


class Tagger:
    """The structure of one document being drawn, and its numbers of marked content."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self._owners: dict[int, list[Node]] = {}  # page -> the element of each MCID
        self._annotations: list[tuple[PDFObjectReference, Node]] = []
        self.link_sink: Callable[[str, list[float]], None] | None = None
        """Takes the link annotations reportlab's paragraphs make (href, rectangle on
        the page; see ``TaggedCanvas``); set while a tagged paragraph is drawn, which
        gives them to their ``Link`` elements once it knows them."""

    def allocate(self, page: int, node: Node) -> Marked:
        """A new marked-content number on ``page`` for ``node``, added to its kids."""
        owners = self._owners.setdefault(page, [])
        marked = Marked(page, len(owners))
        owners.append(node)
        node.kids.append(marked)
        return marked

    def begin(self, canv: Canvas, node: Node) -> str:
        """The operator starting a new marked-content sequence of ``node`` on this page."""
        marked = self.allocate(canv.getPageNumber(), node)
        return begin_operator(node, marked.mcid)

    @contextmanager
    def content(self, canv: Canvas, node: Node) -> Iterator[None]:
        """Mark what the block draws as content of ``node``."""
        canv.addLiteral(self.begin(canv, node))
        yield
        canv.addLiteral("EMC")

    def annotate(
        self, canv: Canvas, node: Node, rect: tuple[float, float, float, float], href: str
    ) -> None:
        """A link annotation over ``rect`` (in the current user space) for ``node``."""
        self.annotate_page(canv, node, absolute_rect(canv, rect), href)

    def annotate_page(self, canv: Canvas, node: Node, rect: list[float], href: str) -> None:
        """A link annotation over ``rect`` (on the page) for the ``Link`` element ``node``.

        ``href`` is ``#anchor`` inside the document or a URL. The annotation is printed
        (``/F 4``), has the element's alternate description (``/Contents``) and names
        its element (``/StructParent``), which names it back (an ``OBJR``).
        """
        key = len(self._annotations)
        entries: dict[str, Any] = {
            "Type": PDFName("Annot"),
            "Subtype": PDFName("Link"),
            "Rect": PDFArray(rect),
            "Border": PDFArray([0, 0, 0]),
            "F": 4,
            "Contents": PDFString(node.alt or href.removeprefix("#")),
            "StructParent": key,
        }
        if href.startswith("#"):
            entries["Dest"] = destination(canv, href[1:])
        else:
            entries["A"] = PDFDictionary({"S": PDFName("URI"), "URI": PDFString(href)})
        reference = add_annotation(canv, PDFDictionary(entries), f"BG{key}")
        self._annotations.append((reference, node))
        node.kids.append(Annotated(canv.getPageNumber(), reference))

    def write(self, canv: Canvas) -> None:
        """Write the structure tree and the pages' entries for it; before saving."""
        elements = list(self.root.walk())
        refs = {id(node): PDFObjectReference(f"SE{index}") for index, node in enumerate(elements)}
        page_refs = [page_reference(number) for number in range(1, len(pages(canv)) + 1)]
        tree_root = PDFObjectReference("StructTreeRoot")
        for node in elements:
            parent = tree_root if node.parent is None else refs[id(node.parent)]
            register(canv, _element(node, refs, page_refs, parent), refs[id(node)].name)
        nums: list[str | PDFObject] = ["<< /Nums ["]
        for key, (_, node) in enumerate(self._annotations):
            nums += [f" {key} ", refs[id(node)]]
        first_page_key = len(self._annotations)
        for number, page in enumerate(pages(canv), start=1):
            owners = self._owners.get(number)
            entries: dict[str, object] = {"Tabs": _TABS}
            if owners:
                key = first_page_key + number - 1
                entries["StructParents"] = key
                nums.append(f"\n{key} [")
                for owner in owners:
                    nums += [refs[id(owner)], " "]
                nums.append("]")
            set_entries(page, **entries)
        nums.append("] >>")
        parent_tree = register(canv, RawObject(nums), "ParentTree")
        root = PDFDictionary(
            {
                "Type": PDFName("StructTreeRoot"),
                "K": refs[id(self.root)],
                "ParentTree": parent_tree,
                "ParentTreeNextKey": first_page_key + len(page_refs),
            }
        )
        register(canv, root, "StructTreeRoot")
        set_entries(
            catalog(canv),
            StructTreeRoot=tree_root,
            MarkInfo=PDFDictionary({"Marked": "true"}),
        )


_TABS = PDFName("S")


def release(root: Node) -> None:
    """Break the links between elements and their parents, so that refcounting frees
    the structure once the file is written."""
    for node in list(root.walk()):
        node.parent = None
        node.kids.clear()


def begin_operator(node: Node, mcid: int) -> str:
    """``BDC`` for marked content ``mcid`` of ``node``."""
    return f"/{node.role} <</MCID {mcid}>> BDC"


def actual_text_operator(text: str) -> str:
    """``BDC`` of a span whose glyphs read as ``text`` (shaped or reordered glyphs)."""
    return f"/Span <</ActualText {hex_string(text)}>> BDC"


def hex_string(text: str) -> str:
    """A PDF text string in UTF-16 with its byte order mark, as a hexadecimal string."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def absolute_rect(canv: Canvas, rect: tuple[float, float, float, float]) -> list[float]:
    """``rect`` in the current user space, as the rectangle it covers on the page."""
    x0, y0, x1, y1 = rect
    corners = [canv.absolutePosition(x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return [min(xs), min(ys), max(xs), max(ys)]


def _element(
    node: Node,
    refs: dict[int, PDFObjectReference],
    page_refs: list[PDFObjectReference],
    parent: PDFObjectReference,
) -> RawObject:
    """A structure element's dictionary, written as it is (``RawObject``)."""
    pieces: list[str | PDFObject] = [f"<< /Type /StructElem /S {_name(node.role)} /P ", parent]
    page = next((kid.page for kid in node.kids if isinstance(kid, Marked | Annotated)), None)
    if page is not None:
        pieces += [" /Pg ", page_refs[page - 1]]
    if node.kids:
        pieces.append(" /K [")
        for kid in node.kids:
            if isinstance(kid, Node):
                pieces += [refs[id(kid)], " "]
            elif isinstance(kid, Marked):
                if kid.page == page:
                    pieces.append(f"{kid.mcid} ")
                else:
                    mcr = [" /MCID ", str(kid.mcid), " >> "]
                    pieces += ["<< /Type /MCR /Pg ", page_refs[kid.page - 1], *mcr]
            else:
                objr = ["<< /Type /OBJR /Obj ", kid.reference, " /Pg ", page_refs[kid.page - 1]]
                pieces += [*objr, " >> "]
        pieces.append("]")
    if node.lang:
        pieces += [" /Lang ", PDFString(node.lang)]
    if node.alt:
        pieces += [" /Alt ", PDFString(node.alt)]
    if node.attributes:
        pairs = "".join(f" {_name(k)} {_name(v)}" for k, v in node.attributes.items())
        pieces.append(f" /A <<{pairs} >>")
    pieces.append(" >>")
    return RawObject(pieces)


@cache
def _name(text: str) -> str:
    """``text`` as a PDF name, made once."""
    name: str = PDFName(text)
    return name


# --- a reportlab paragraph's text, cut where its links start and end --------------------

_MARK = re.compile("\x00([LE])(\\d+)\x00")
_SHOWS = re.compile(r"T[jJ]\b|[)>\]]\s*['\"]")  # an operator that shows text


def link_start(number: int) -> str:
    return f"\x00L{number}\x00"


def link_end(number: int) -> str:
    return f"\x00E{number}\x00"


def tag_text_object(
    canv: Canvas, tagger: Tagger, tag: Tag, text_object: str, sole_link: int | None = None
) -> str:
    """``BT ... ET`` of a paragraph, its text wrapped in marked content, in place of the
    markers where its links start and end; ``sole_link`` when the whole text is a link.

    Stretches that show no text join their neighbours, so that a link broken over two
    lines is one sequence and no sequence is empty.
    """
    start, end = text_object.index("BT") + 2, text_object.rindex("ET")
    body = text_object[start:end]
    parts = _MARK.split(body)
    # parts: chunk, kind, number, chunk, kind, number, chunk...
    segments: list[list[Any]] = [[sole_link, parts[0]]]
    for index in range(1, len(parts), 3):
        kind, number, chunk = parts[index], int(parts[index + 1]), parts[index + 2]
        segments.append([number if kind == "L" else None, chunk])
    merged: list[list[Any]] = []  # [owner, chunk, shows text]
    pending = ""
    for owner, chunk in segments:
        if not _SHOWS.search(chunk):
            if merged:
                merged[-1][1] += chunk
            else:
                pending += chunk
            continue
        if merged and merged[-1][0] == owner:
            merged[-1][1] += chunk
        else:
            merged.append([owner, pending + chunk])
        pending = ""
    if not merged:
        return text_object[:start] + body + text_object[end:]
    out = [text_object[:start]]
    for owner, chunk in merged:
        node = tag.node if owner is None else tag.link(owner)
        out += [" ", tagger.begin(canv, node), chunk, " EMC "]
    return "".join(out) + text_object[end:]


@contextmanager
def repeated(canv: Canvas) -> Iterator[None]:
    """Draw a table header row again at the top of a later page: an artifact, its links
    not links again."""
    tagger = tagger_of(canv)
    if tagger is None:
        yield
        return
    tagger.link_sink = lambda href, rect: None
    try:
        with artifact(canv, REPEATED):
            yield
    finally:
        tagger.link_sink = None


# --- the canvas -----------------------------------------------------------------------


class TaggedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that carries the document's ``Tagger``; the link annotations reportlab's
    paragraphs make (``linkRect``, ``linkURL``) go to the tagger's ``link_sink``."""

    def __init__(self, tagger: Tagger, *args: Any, **kwargs: Any) -> None:
        self.tagger = tagger
        super().__init__(*args, **kwargs)

    def linkRect(
        self,
        contents: str,
        destinationname: str,
        Rect: tuple[float, float, float, float] | None = None,
        addtopage: int = 1,
        name: str | None = None,
        relative: int = 1,
        **options: Any,
    ) -> None:
        self._link("#" + destinationname, Rect, relative)

    def linkURL(
        self,
        url: str,
        rect: tuple[float, float, float, float],
        relative: int = 0,
        *args: Any,
        **options: Any,
    ) -> None:
        self._link(url, rect, relative)

    def _link(self, href: str, rect: Any, relative: int) -> None:
        sink = self.tagger.link_sink
        if sink is None or rect is None:
            raise RuntimeError(f"a link to {href} drawn outside a tagged paragraph")
        sink(href, absolute_rect(self, rect) if relative else list(rect))
