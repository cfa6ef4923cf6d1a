"""A checker of tagged PDF, for the tests: the structure tree read back with pypdf, and
every page's content stream against it.

``check_structure`` asserts what PDF/UA-1 asks of the structure and what a
machine can check of it: every marked-content sequence is reachable from the tree
and every one the tree names is on its page; everything a page draws is tagged
content or an artifact; every link annotation has a ``Link`` element that names it
(``OBJR``), an alternate description and is printed; the parent tree maps each
sequence and annotation back to its element; table cells stand in rows of tables,
list items in lists, contents items in a contents; headings do not skip levels;
figures have alternate text. It returns the tree for further questions.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

_ROLE_NAMES = (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H"
    " H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note"
    " Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"
)
STANDARD_ROLES = frozenset(_ROLE_NAMES.split())
"""The standard structure types of ISO 32000-1 (14.8.4)."""
SHOWS_OR_PAINTS = frozenset(
    (b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"Do")
)
PARENTS = {
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "TH": {"TR"},
    "TD": {"TR"},
    "LI": {"L"},
    "Lbl": {"LI"},
    "LBody": {"LI"},
    "TOCI": {"TOC"},
}
KIDS = {
    "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
    "TR": {"TH", "TD"},
    "L": {"LI", "Caption", "L"},
    "LI": {"Lbl", "LBody"},
    "TOC": {"TOCI", "TOC", "Caption"},
    "TOCI": {"Lbl", "Reference", "NonStruct", "P", "TOC"},
}


@dataclass(frozen=True)
class Content:
    """A marked-content sequence: its page (from 0) and number."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Objr:
    page: int
    annotation: int  # the annotation's object number


@dataclass(eq=False)
class Element:
    role: str
    parent: Element | None
    kids: list[Element | Content | Objr] = field(default_factory=list)
    lang: str | None = None
    alt: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    number: int | None = None  # the object number of its dictionary

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def elements(self) -> list[Element]:
        return [kid for kid in self.kids if isinstance(kid, Element)]

    def contents(self) -> Iterator[Content]:
        """Its marked content and that of the elements below it, in reading order."""
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.contents()
            elif isinstance(kid, Content):
                yield kid


@dataclass
class Structure:
    reader: PdfReader
    root: Element
    page_contents: list[list[int]]
    """Each page's marked-content numbers, in the order the page draws them."""
    artifacts: list[int]
    """How many artifact sequences each page draws."""

    def roles(self) -> list[str]:
        return [element.role for element in self.root.walk()]

    def find(self, role: str) -> list[Element]:
        return [element for element in self.root.walk() if element.role == role]


def resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def idnum(obj: Any) -> int:
    """The object number of an indirect object, given as a reference or resolved."""
    number: int = obj.idnum if isinstance(obj, IndirectObject) else obj.indirect_reference.idnum
    return number


def check_structure(data: bytes) -> Structure:
    """Read a tagged PDF's structure and check it (see the module docstring)."""
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]), "MarkInfo /Marked is not true"
    assert str(catalog.get("/Lang", "")), "the catalog has no /Lang"
    page_numbers = {idnum(page): index for index, page in enumerate(reader.pages)}
    tree_root = resolve(catalog["/StructTreeRoot"])
    top = resolve(tree_root["/K"])
    assert isinstance(top, DictionaryObject), "the structure tree has not one Document element"
    root = _element(top, None, page_numbers)
    assert root.role == "Document", root.role
    tree_contents = _tree_contents(root)
    page_contents, artifacts = [], []
    for index, page in enumerate(reader.pages):
        drawn, artifact_count = _page_content(page, reader, index)
        page_contents.append(drawn)
        artifacts.append(artifact_count)
        assert len(drawn) == len(set(drawn)), f"page {index + 1} repeats a marked-content number"
        named = {content.mcid for content in tree_contents if content.page == index}
        assert set(drawn) == named, (
            f"page {index + 1}: marked content drawn {sorted(set(drawn) - named)} is not in the "
            f"tree; the tree names {sorted(named - set(drawn))} that the page does not draw"
        )
    _check_parent_tree(reader, tree_root, root, page_numbers)
    _check_annotations(reader, root)
    _check_roles(root)
    return Structure(reader, root, page_contents, artifacts)


def _element(obj: DictionaryObject, parent: Element | None, pages: dict[int, int]) -> Element:
    attributes = resolve(obj.get("/A")) or {}
    element = Element(
        role=str(obj["/S"])[1:],
        parent=parent,
        lang=str(obj["/Lang"]) if "/Lang" in obj else None,
        alt=str(obj["/Alt"]) if "/Alt" in obj else None,
        attributes={str(k)[1:]: str(v).lstrip("/") for k, v in dict(attributes).items()},
        number=obj.indirect_reference.idnum if obj.indirect_reference else None,
    )
    page = pages.get(idnum(obj.raw_get("/Pg"))) if "/Pg" in obj else None
    kids = resolve(obj.get("/K"))
    if kids is None:
        kids = []
    elif not isinstance(kids, list):
        kids = [kids]
    for raw in kids:
        kid = resolve(raw)
        if isinstance(kid, int):
            assert page is not None, f"{element.role} has marked content but no /Pg"
            element.kids.append(Content(page, int(kid)))
        elif kid.get("/Type") == "/MCR":
            kid_page = pages[idnum(kid.raw_get("/Pg"))] if "/Pg" in kid else page
            assert kid_page is not None
            element.kids.append(Content(kid_page, int(kid["/MCID"])))
        elif kid.get("/Type") == "/OBJR":
            page_number = pages[idnum(kid.raw_get("/Pg"))]
            element.kids.append(Objr(page_number, idnum(kid.raw_get("/Obj"))))
        else:
            assert kid.get("/P") is not None and resolve(kid["/P"]) == obj, (
                f"a kid of {element.role} does not name it as its parent"
            )
            element.kids.append(_element(kid, element, pages))
    return element


def _tree_contents(root: Element) -> list[Content]:
    found = [kid for element in root.walk() for kid in element.kids if isinstance(kid, Content)]
    assert len(found) == len(set(found)), "a marked-content sequence belongs to two elements"
    return found


def _page_content(page: Any, reader: PdfReader, index: int) -> tuple[list[int], int]:
    """The marked-content numbers a page draws, in order, and its artifact count;
    asserts that everything it shows or paints is in one or the other."""
    stack: list[str] = []
    drawn: list[int] = []
    artifacts = 0
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator in (b"BDC", b"BMC"):
            tag = str(operands[0])
            properties = resolve(operands[1]) if operator == b"BDC" else {}
            if tag == "/Artifact":
                assert "content" not in stack, f"page {index + 1}: an artifact inside content"
                stack.append("artifact")
                artifacts += 1
            elif isinstance(properties, dict) and "/MCID" in properties:
                assert "content" not in stack and "artifact" not in stack, (
                    f"page {index + 1}: marked content {properties['/MCID']} nested in another"
                )
                stack.append("content")
                drawn.append(int(properties["/MCID"]))
            else:
                stack.append("span")
        elif operator == b"EMC":
            assert stack, f"page {index + 1}: EMC without BDC"
            stack.pop()
        elif operator in SHOWS_OR_PAINTS:
            assert "content" in stack or "artifact" in stack, (
                f"page {index + 1}: {operator.decode()} {operands!r:.80} is neither tagged "
                "content nor an artifact"
            )
    assert not stack, f"page {index + 1}: a marked-content sequence is not closed"
    return drawn, artifacts


def _check_parent_tree(
    reader: PdfReader, tree_root: Any, root: Element, pages: dict[int, int]
) -> None:
    nums = resolve(resolve(tree_root["/ParentTree"])["/Nums"])
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    owners = {
        (kid.page, kid.mcid): element.number
        for element in root.walk()
        for kid in element.kids
        if isinstance(kid, Content)
    }
    for index, page in enumerate(reader.pages):
        key = page.get("/StructParents")
        named = {mcid for (p, mcid) in owners if p == index}
        if key is None:
            assert not named, f"page {index + 1} has marked content but no /StructParents"
            continue
        array = resolve(entries[int(key)])
        for mcid, reference in enumerate(array):
            assert owners.get((index, mcid)) == idnum(reference), (
                f"page {index + 1}: the parent tree gives MCID {mcid} to another element"
            )
    assert int(resolve(tree_root["/ParentTreeNextKey"])) > max(entries, default=-1)


def _check_annotations(reader: PdfReader, root: Element) -> None:
    linked = {
        kid.annotation: element
        for element in root.walk()
        for kid in element.kids
        if isinstance(kid, Objr)
    }
    nums = resolve(resolve(reader.trailer["/Root"]["/StructTreeRoot"])["/ParentTree"])["/Nums"]
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(reader.pages):
        annotations = page.get("/Annots") or []
        if annotations:
            assert page.get("/Tabs") == "/S", f"page {index + 1} has no /Tabs /S"
        for reference in annotations:
            annotation = resolve(reference)
            where = f"page {index + 1}: link annotation {idnum(reference)}"
            assert annotation["/Subtype"] == "/Link", where
            element = linked.get(idnum(reference))
            assert element is not None and element.role == "Link", f"{where} has no OBJR"
            assert str(annotation.get("/Contents", "")).strip(), f"{where} has no /Contents"
            assert int(annotation["/F"]) & 4, f"{where} is not printed"
            parent = entries[int(annotation["/StructParent"])]
            assert idnum(parent) == element.number, f"{where}: /StructParent is not its Link"
    assert all(element.role == "Link" for element in linked.values())


def _check_roles(root: Element) -> None:
    previous = 0
    for element in root.walk():
        role = element.role
        assert role in STANDARD_ROLES, f"{role} is not a standard structure type"
        if role in PARENTS:
            assert element.parent is not None and element.parent.role in PARENTS[role], (
                f"{role} stands in {element.parent.role if element.parent else None}"
            )
        if role in KIDS:
            strays = {kid.role for kid in element.elements()} - KIDS[role]
            assert not strays, f"{role} holds {strays}"
        if len(role) == 2 and role[0] == "H" and role[1].isdigit():
            level = int(role[1])
            assert level <= previous + 1, f"{role} after H{previous}: a heading level skipped"
            previous = level
        if role == "Figure":
            assert element.alt, "a Figure without alternate text"
        if role == "Link":
            assert any(isinstance(kid, Objr) for kid in element.kids), "a Link without OBJR"
        if role == "Table":
            rows = [row for group in element.elements() for row in _rows(group)]
            widths = {len(row.elements()) for row in rows}
            assert len(widths) <= 1, f"a table with rows of {sorted(widths)} cells"


def _rows(element: Element) -> list[Element]:
    """A table's rows, in row groups (``THead``, ``TBody``, ``TFoot``) or not."""
    return [element] if element.role == "TR" else element.elements()
