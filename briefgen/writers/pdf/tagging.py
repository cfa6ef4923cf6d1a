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
    PDFDictionary,
    PDFName,
    PDFObjectReference,
)
from reportlab.pdfgen.canvas import Canvas

from briefgen.writers.pdf.reportlab_private import (
    EmboldeningCanvas,
    LinkAnnotation,
    RawObject,
    add_annotation,
    catalog,
    destination,
    object_number,
    page_reference,
    pages,
    pdf_string,
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
    """A structure element: its type and its kids in reading order. It names no parent
    (``Tagger.write`` finds each one's), so a structure holds no reference cycle and is
    freed as soon as the document is written."""

    role: str
    kids: list[Node | Marked | Annotated] = field(default_factory=list)
    lang: str | None = None
    alt: str | None = None
    actual_text: str | None = None
    """The text the element reads as, where its drawn glyphs, in the order they are
    stored, read otherwise (``/ActualText``)."""
    attributes: dict[str, str] | None = None
    """Layout or table attributes, as ``/A``: ``{"O": "Table", "Scope": "Column"}``."""

    def __deepcopy__(self, memo: dict[int, object]) -> Node:
        return self  # one element, however often reportlab copies what draws it

    def child(self, role: str, **options: Any) -> Node:
        """A new last kid of this element."""
        node = Node(role, **options)
        self.kids.append(node)
        return node

    def walk(self) -> Iterator[tuple[Node, Node | None]]:
        """This element and every element below it, in reading order, each with its parent."""
        stack: list[tuple[Node, Node | None]] = [(self, None)]
        while stack:
            node, parent = stack.pop()
            yield node, parent
            stack.extend((kid, node) for kid in reversed(node.kids) if isinstance(kid, Node))


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
        target = destination(canv, href[1:]) if href.startswith("#") else href
        annotation = LinkAnnotation(rect, node.alt or href.removeprefix("#"), target, key)
        reference = add_annotation(canv, annotation, f"BG{key}")
        self._annotations.append((reference, node))
        node.kids.append(Annotated(canv.getPageNumber(), reference))

    def write(self, canv: Canvas) -> None:
        """Write the structure tree and the pages' entries for it; before saving.

        Every object is registered first, so that each element can be written as the
        text it is, with the numbers of the objects it refers to (``RawObject``).
        """
        elements, parents = zip(*self.root.walk(), strict=True)
        objects = [RawObject() for _ in elements]
        names = [f"SE{index}" for index in range(len(elements))]
        for obj, name in zip(objects, names, strict=True):
            register(canv, obj, name)
        parent_tree, tree_root = RawObject(), RawObject()
        register(canv, parent_tree, "ParentTree")
        register(canv, tree_root, "StructTreeRoot")

        def ref(name: str) -> str:
            return f"{object_number(canv, name)} 0 R"

        refs = {id(node): ref(name) for node, name in zip(elements, names, strict=True)}
        page_refs = [ref(page_reference(n).name) for n in range(1, len(pages(canv)) + 1)]
        root_ref = ref("StructTreeRoot")
        for node, parent, obj in zip(elements, parents, objects, strict=True):
            parent_ref = root_ref if parent is None else refs[id(parent)]
            obj.data = _element(canv, node, refs, page_refs, parent_ref)
        nums = [f"{key} {refs[id(node)]}" for key, (_, node) in enumerate(self._annotations)]
        first_page_key = len(self._annotations)
        for number, page in enumerate(pages(canv), start=1):
            owners = self._owners.get(number)
            entries: dict[str, object] = {"Tabs": _TABS}
            if owners:
                key = first_page_key + number - 1
                entries["StructParents"] = key
                nums.append(f"{key} [{' '.join(refs[id(owner)] for owner in owners)}]")
            set_entries(page, **entries)
        parent_tree.data = ("<< /Nums [\n" + "\n".join(nums) + "\n] >>").encode("ascii")
        next_key = first_page_key + len(page_refs)
        tree_root.data = (
            f"<< /Type /StructTreeRoot /K {refs[id(self.root)]} /ParentTree "
            f"{ref('ParentTree')} /ParentTreeNextKey {next_key} >>"
        ).encode("ascii")
        set_entries(
            catalog(canv),
            StructTreeRoot=PDFObjectReference("StructTreeRoot"),
            MarkInfo=PDFDictionary({"Marked": "true"}),
        )


_TABS = PDFName("S")


def begin_operator(node: Node, mcid: int) -> str:
    """``BDC`` for marked content ``mcid`` of ``node``."""
    return f"/{node.role} <</MCID {mcid}>> BDC"


def absolute_rect(canv: Canvas, rect: tuple[float, float, float, float]) -> list[float]:
    """``rect`` in the current user space, as the rectangle it covers on the page."""
    x0, y0, x1, y1 = rect
    corners = [canv.absolutePosition(x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return [min(xs), min(ys), max(xs), max(ys)]


def _element(
    canv: Canvas, node: Node, refs: dict[int, str], page_refs: list[str], parent: str
) -> bytes:
    """A structure element's dictionary, as written (``RawObject``)."""
    page = next((kid.page for kid in node.kids if not isinstance(kid, Node)), None)
    out = [f"<< /Type /StructElem /S {_name(node.role)} /P {parent}"]
    if page is not None:
        out.append(f" /Pg {page_refs[page - 1]}")
    if node.kids:
        kids = []
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(refs[id(kid)])
            elif isinstance(kid, Marked):
                if kid.page == page:
                    kids.append(str(kid.mcid))
                else:
                    on = page_refs[kid.page - 1]
                    kids.append(f"<< /Type /MCR /Pg {on} /MCID {kid.mcid} >>")
            else:
                obj = f"{object_number(canv, kid.reference.name)} 0 R"
                kids.append(f"<< /Type /OBJR /Obj {obj} /Pg {page_refs[kid.page - 1]} >>")
        out.append(f" /K [{' '.join(kids)}]")
    if node.attributes:
        pairs = "".join(f" {_name(k)} {_name(v)}" for k, v in node.attributes.items())
        out.append(f" /A <<{pairs} >>")
    data = "".join(out).encode("ascii")
    if node.lang:
        data += b" /Lang " + pdf_string(canv, node.lang)
    if node.alt:
        data += b" /Alt " + pdf_string(canv, node.alt)
    if node.actual_text:
        data += b" /ActualText " + pdf_string(canv, node.actual_text)
    return data + b" >>"


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


class TaggedCanvas(EmboldeningCanvas):
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
