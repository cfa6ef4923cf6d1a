"""Markdown to document-tree blocks, and escaping that keeps data from becoming markup.

Two parsers: the templates' Markdown (CommonMark, pipe tables, ``{#anchor}`` lines
naming the next heading's link target, ``:::`` containers for special blocks) and
the users' (md) fields, a subset without headings, rules, code, quotes, tables or
images, so that a user's text cannot restructure the pack. Raw HTML is never
interpreted by either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.emphasis import tokenize as emphasis_tokenize
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attributes
from mdit_py_plugins.container import container_plugin

from briefgen import tree
from briefgen.compose.values import ISOLATE_END, ISOLATE_START
from briefgen.input.rules import LARGEST_LIST_START
from briefgen.text.metrics import is_wide

MAX_LIST_DEPTH = 4
_EMPTY_ITEM: tuple[tree.Block, ...] = (tree.Paragraph(()),)  # "-" alone: a bullet, no text
# markdown-it silently drops what lies deeper than maxNesting (20 by default). The model
# refuses Markdown indented past 256 columns, at most 128 list levels: this keeps them all.
MAX_NESTING = 400
CONTAINERS = (
    "cover",
    "contents",
    "key-messages",
    "byline",
    "note",
    "lang",
    "index",
    "with-previous",
)
# A web address with a host ("https://" alone is none), or an anchor.
_WEB_LINK = re.compile(r"^https?://[^\s/?#]", re.IGNORECASE)
_WEB_OR_ANCHOR_LINK = re.compile(r"^(https?://[^\s/?#]|#)", re.IGNORECASE)
# A line of attributes, "{...}" alone (the attributes syntax of djot and of markdown-it's
# attrs plugin). The templates write "{#name}" before headings, read by a regular
# expression; other such lines go through the plugin's attribute parser.
_ATTRIBUTE_NAME = r"[^\s!\"#$%&'()*+,./;<=>?@\[\\\]^`{|}~]+"
_ANCHOR_LINE = re.compile(rf"\{{#({_ATTRIBUTE_NAME})\}}[ \t]*")
_ATTRIBUTES_LINE = re.compile(r"\{.*\}[ \t]*")
# Links that markdown-it's normalisation (percent-encoding, punycode) returns unchanged:
# a lowercase web scheme, an ASCII host of at most 255 characters (mdurl drops longer
# ones), then only characters it never encodes.
_URL_TAIL = r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]*"
LINK_KEPT_AS_IS = re.compile(
    rf"(?:https?://[A-Za-z0-9.-]{{1,255}}(?::[0-9]+)?(?:[/?#]{_URL_TAIL})?|#{_URL_TAIL})"
)
_FIELD_DISABLED = [
    "heading",
    "lheading",
    "hr",
    "code",
    "fence",
    "blockquote",
    "image",
    "reference",
    "backticks",
    "entity",
    "autolink",
]


_FENCES = str.maketrans("", "", ISOLATE_START + ISOLATE_END)
# Where a fenced value would not be text: a link's destination (one level of parentheses
# inside it; a printed value's own parentheses come escaped), and the lines of block
# syntax (``::: name params``, ``{#id}``).
_DESTINATION = re.compile(r"\]\((?:\\.|[^()\n\\]|\((?:\\.|[^()\n\\])*\))*\)")
_SYNTAX_LINE = re.compile(r"^[ \t]*(?::::|\{).*$", re.MULTILINE)
_ISOLATED = re.compile(f"{ISOLATE_START}([^{ISOLATE_START}{ISOLATE_END}]*){ISOLATE_END}")


def unfence_syntax(markdown: str) -> str:
    """Drop the fences of values printed where Markdown reads them as syntax, not text:
    link destinations and the lines of blocks and attributes."""
    if ISOLATE_START not in markdown:
        return markdown
    return _SYNTAX_LINE.sub(_unfenced, _DESTINATION.sub(_unfenced, markdown))


def _unfenced(found: re.Match[str]) -> str:
    return found.group().translate(_FENCES)


def _cjk_friendly_emphasis(state: StateInline, silent: bool) -> bool:
    """CommonMark's ``*`` and ``_``, where a Chinese, Japanese or Korean character beside
    a run of them counts as a space does: ``**预算。**核定预算`` is bold, as ``**Budget.**
    the`` is (CommonMark's rules want a space after a closing mark that follows
    punctuation, and these scripts put none; the "CJK-friendly" amendment of them)."""
    start = state.pos
    first = len(state.delimiters)
    if not emphasis_tokenize(state, silent):
        return False
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[state.pos] if state.pos < state.posMax else " "
    if not (_is_cjk(before) or _is_cjk(after)):
        return True  # CommonMark's own flags stand
    can_open, can_close = _flanks(before, after, state.src[start] == "*")
    for delimiter in state.delimiters[first:]:
        delimiter.open, delimiter.close = can_open, can_close
    return True


def _flanks(before: str, after: str, star: bool) -> tuple[bool, bool]:
    """Whether a run of emphasis marks between ``before`` and ``after`` can open and can
    close emphasis: CommonMark's rules, a CJK character beside punctuation counting as
    a space there."""
    punctuation_before = isMdAsciiPunct(ord(before)) or isPunctChar(before)
    punctuation_after = isMdAsciiPunct(ord(after)) or isPunctChar(after)
    space_before, space_after = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    left = not (
        space_after
        or (punctuation_after and not (space_before or punctuation_before or _is_cjk(before)))
    )
    right = not (
        space_before
        or (punctuation_before and not (space_after or punctuation_after or _is_cjk(after)))
    )
    can_open = left and (star or not right or punctuation_before)
    can_close = right and (star or not left or punctuation_after)
    return can_open, can_close


def _is_cjk(char: str) -> bool:
    """A Chinese, Japanese or Korean letter, digit or punctuation mark (wide or full
    width), not an emoji."""
    return is_wide(char) and unicodedata.category(char)[0] in "LNP"


def _template_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    parser.inline.ruler.at("emphasis", _cjk_friendly_emphasis)
    parser.block.ruler.after("code", "attributes", _attributes_line)
    # One rule for every container name: markdown-it tries each rule at each line.
    parser.use(container_plugin, name="special", validate=_is_container_opening)
    parser.validateLink = _link_check(_WEB_OR_ANCHOR_LINK)  # type: ignore[method-assign,assignment]
    parser.normalizeLink = normalize_link  # type: ignore[method-assign]
    return parser


def _attributes_line(state: StateBlock, line: int, _end_line: int, silent: bool) -> bool:
    """A line of attributes, such as ``{#anchor}``: its id names the heading that follows.

    The ``{#anchor}`` lines of the templates (one per statement) are read by a regular
    expression; the attrs plugin parsed each character by character. Other attributes
    lines mean what they meant with the plugin: the line is dropped, its id kept.
    """
    if state.is_code_block(line):
        return False
    start, end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    simple = _ANCHOR_LINE.fullmatch(state.src, start, end)
    if simple is not None:
        anchor = simple[1]
    elif _ATTRIBUTES_LINE.fullmatch(state.src, start, end):
        try:
            _, attributes = parse_attributes(state.src[start:end].rstrip(" \t"))
        except ParseError:
            return False
        anchor = attributes.get("id", "")
    else:
        return False
    if silent:
        return True
    token = state.push("anchor", "", 0)
    token.info = anchor
    token.map = [line, line + 1]
    state.line = line + 1
    return True


def _is_container_opening(params: str, _markup: str) -> bool:
    """Any ``::: name`` opens a block, so that a misspelt name is an error, not text."""
    return bool(params.strip())


class UnknownContainer(Exception):
    """A ``::: name`` block whose name is not one of ``CONTAINERS``."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _field_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).disable(
        _FIELD_DISABLED
    )
    parser.inline.ruler.at("emphasis", _cjk_friendly_emphasis)
    parser.validateLink = _link_check(_WEB_LINK)  # type: ignore[method-assign,assignment]
    parser.normalizeLink = normalize_link  # type: ignore[method-assign]
    return parser


def normalize_link(url: str) -> str:
    """markdown-it's link normalisation, skipped for links it would return unchanged.

    Parsing and re-encoding every link was a tenth of the Markdown stage on large packs;
    a test checks that the skipped links are indeed left unchanged by it.
    """
    return url if LINK_KEPT_AS_IS.fullmatch(url) else normalizeLink(url)


def _link_check(allowed: re.Pattern[str]) -> Callable[[str], bool]:
    """Return a link validator: only links matching ``allowed`` become links."""

    def is_allowed(url: str) -> bool:
        return bool(allowed.match(url.strip()))

    return is_allowed


TEMPLATE_PARSER = _template_parser()
FIELD_PARSER = _field_parser()

ContainerHandler = Callable[[str, str, tuple[tree.Block, ...]], Sequence[tree.Block]]


class Node:
    """A markdown-it token with its nested tokens as children.

    A lighter stand-in for ``markdown_it.tree.Node``, which costs more
    than the parsing itself on large packs.
    """

    __slots__ = ("children", "token", "type")

    def __init__(self, token: Token, children: list[Node]) -> None:
        self.token = token
        self.type = token.type.removesuffix("_open")
        self.children = children

    @property
    def tag(self) -> str:
        return self.token.tag

    @property
    def info(self) -> str:
        return self.token.info

    @property
    def content(self) -> str:
        return self.token.content

    @property
    def attrs(self) -> dict[str, str | int | float]:
        return self.token.attrs


def nest(tokens: Sequence[Token]) -> list[Node]:
    """Return the flat token stream as a forest of nodes (opening tokens carry children)."""
    root: list[Node] = []
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            node = Node(token, [])
            stack[-1].append(node)
            stack.append(node.children)
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].append(Node(token, nest(token.children) if token.children else []))
    return root


class BlockBuilder:
    """Turns markdown-it nodes into tree blocks.

    ``on_container(name, params, children)`` decides what a ``:::`` container becomes;
    ``on_paragraph(paragraph)`` may replace a paragraph by other blocks (placeholders).
    """

    def __init__(
        self,
        on_container: ContainerHandler | None = None,
        on_paragraph: Callable[[tree.Paragraph], Sequence[tree.Block]] | None = None,
    ) -> None:
        self.on_container = on_container
        self.on_paragraph = on_paragraph
        self.list_depth = 0

    def parse(self, parser: MarkdownIt, source: str) -> tuple[tree.Block, ...]:
        return self.blocks(nest(parser.parse(unfence_syntax(source))))

    def blocks(self, nodes: Sequence[Node]) -> tuple[tree.Block, ...]:
        """Return the blocks of ``nodes``; an anchor line names the block after it."""
        result: list[tree.Block] = []
        anchor = ""
        for node in nodes:
            if node.type == "anchor":  # stacked lines merge: a later id replaces an earlier one
                anchor = node.info or anchor
                continue
            result.extend(self.block(node, anchor))
            anchor = ""
        return tuple(result)

    def block(self, node: Node, anchor: str = "") -> Sequence[tree.Block]:
        kind = node.type
        if kind == "heading":
            return [tree.Heading(int(node.tag[1]), inlines(node.children[0]), anchor)]
        if kind == "paragraph":
            paragraph = tree.Paragraph(inlines(node.children[0]))
            return self.on_paragraph(paragraph) if self.on_paragraph else [paragraph]
        if kind in ("bullet_list", "ordered_list"):
            return self._list(node)
        if kind == "table":
            return [_table(node)]
        if kind == "hr":
            return [tree.PageBreak()]
        if kind.startswith("container_") and self.on_container:
            name, _, params = node.info.strip().partition(" ")
            return self.on_container(name, params.strip(), self.blocks(node.children))
        return self._literal(node)

    def _list(self, node: Node) -> Sequence[tree.Block]:
        """A list; one nested deeper than ``MAX_LIST_DEPTH`` gives its items' blocks unbulleted."""
        self.list_depth += 1
        try:
            items = tuple(self.blocks(item.children) or _EMPTY_ITEM for item in node.children)
        finally:
            self.list_depth -= 1
        if self.list_depth >= MAX_LIST_DEPTH:
            return [block for item in items for block in item]
        ordered = node.type == "ordered_list"
        start = _list_start(node) if ordered else 1
        return [tree.ListBlock(ordered, items, start=start)]

    def _literal(self, node: Node) -> Sequence[tree.Block]:
        """Blocks outside the supported set keep their text as plain paragraphs."""
        if node.children:
            return self.blocks(node.children)
        text = node.content.rstrip("\n")
        return [tree.Paragraph((tree.Text(text),))] if text else []


def field_blocks(markdown: str) -> tuple[tree.Block, ...]:
    """A user's Markdown field as the blocks a pack shows of it (in no language of its
    own): two texts that differ only where Markdown does not (a line wrapped elsewhere
    in a paragraph) give the same blocks."""
    return BlockBuilder().parse(FIELD_PARSER, markdown)


def _list_start(node: Node) -> int:
    """The number of an ordered list's first item, as typed (validation refuses one past
    ``LARGEST_LIST_START``: a template's list is kept within it)."""
    start = node.attrs.get("start", 1)
    return min(max(int(start), 0), LARGEST_LIST_START)


def _table(node: Node) -> tree.Table:
    sections = {child.type: child for child in node.children}
    header_row = sections["thead"].children[0]
    header = tuple(_cell(cell, "table-head") for cell in header_row.children)
    body = sections.get("tbody")
    rows = tuple(
        tuple(_cell(cell, "table-cell") for cell in row.children)
        for row in (body.children if body else [])
    )
    return tree.Table(header, rows)


def _cell(node: Node, role: tree.ParagraphRole) -> tree.Paragraph:
    return tree.Paragraph(inlines(node.children[0]) if node.children else (), role)


def inline_text(markdown: str) -> str:
    """Return the plain text one line of template Markdown shows (a title, for metadata)."""
    (line,) = nest(TEMPLATE_PARSER.parseInline(unfence_syntax(markdown)))
    return tree.plain_text(inlines(line))


def inlines(node: Node) -> tuple[tree.Inline, ...]:
    """Return the inline content of an ``inline`` node, adjacent texts merged, the values
    the templates printed as isolates."""
    return _merge_texts(_inline_children(node.children))


def _inline_children(nodes: Sequence[Node]) -> list[tree.Inline]:
    result: list[tree.Inline] = []
    for node in nodes:
        result.extend(_inline(node))
    return result


def _inline(node: Node) -> list[tree.Inline]:
    kind = node.type
    if kind in ("text", "code_inline", "html_inline"):
        return [tree.Text(node.content)] if node.content else []
    if kind == "softbreak":
        return [tree.Text(" ")]
    if kind == "hardbreak":
        return [tree.LineBreak()]
    children = _merge_texts(_inline_children(node.children))
    if kind == "strong":
        return [tree.Strong(children)]
    if kind == "em":
        return [tree.Emphasis(children)]
    if kind == "link":
        return _link(children, str(node.attrs["href"]))
    return list(children)


def _link(children: tuple[tree.Inline, ...], href: str) -> list[tree.Inline]:
    """A link; one with no address (``[text]()``: markdown-it makes it a link to
    nothing) stays as typed, one with no text shows its address, so that every link
    has a name."""
    if not href:
        return [tree.Text("["), *children, tree.Text("]()")]
    return [tree.Link(children or (tree.Text(href),), href)]


def _merge_texts(items: list[tree.Inline]) -> tuple[tree.Inline, ...]:
    """Adjacent texts as one; then each fenced value in them as an isolate."""
    merged: list[tree.Inline] = []
    for item in items:
        previous = merged[-1] if merged else None
        if isinstance(item, tree.Text) and isinstance(previous, tree.Text):
            merged[-1] = tree.Text(previous.text + item.text)
        else:
            merged.append(item)
    if not any(isinstance(item, tree.Text) and ISOLATE_START in item.text for item in merged):
        return tuple(merged)
    return tuple(part for item in merged for part in _isolates(item))


def _isolates(item: tree.Inline) -> list[tree.Inline]:
    """A text's fenced values as isolates; a fence without its pair (a value cut by other
    syntax) is dropped."""
    if not isinstance(item, tree.Text) or ISOLATE_START not in item.text:
        return [item]
    parts: list[tree.Inline] = []
    position = 0
    for found in _ISOLATED.finditer(item.text):
        before = item.text[position : found.start()].translate(_FENCES)
        if before:
            parts.append(tree.Text(before))
        if found.group(1):
            parts.append(tree.Isolate((tree.Text(found.group(1)),)))
        position = found.end()
    rest = item.text[position:].translate(_FENCES)
    if rest:
        parts.append(tree.Text(rest))
    return parts
