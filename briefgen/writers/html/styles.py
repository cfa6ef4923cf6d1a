"""The look as CSS: every colour, size, leading and space of the page comes from ``Look``.

Lengths are the look's points divided by the body text's size, in ``rem``: on screen
the body text is the reader's own default size and everything keeps the look's
proportions; in print (``print_css``) the root is the body size in points, so every
length is the look's own. Text from the input never reaches the stylesheet except
through ``css_string``.
"""

from __future__ import annotations

from typing import NamedTuple, get_args

from briefgen.look import Fonts, Look, TextStyle
from briefgen.text.fonts import fallback_families
from briefgen.tree import Direction, ParagraphRole, RevisionWords

ROLES = tuple(role for role in get_args(ParagraphRole) if role != "body")
"""The paragraph roles drawn as a class (``body`` is every ``p``'s own style)."""
PAPER = "#FFFFFF"  # the page, as the PDF's paper
SCREEN_GUTTER = "min(1.25rem,4vw)"  # beside the text on a narrow screen
NARROW = "40rem"  # a screen narrower than this lays tables out by their words
WITH_PREVIOUS = "with-previous"
"""The class of a line that never starts a page away from the block before it
(``tree.Paragraph.keep_with_previous``)."""
LIST_DEPTHS = 6  # nesting levels with a bullet rule of their own; deeper ones take the last


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but ASCII letters and digits
    written as a six-digit hexadecimal escape, so that no text can end the string or the
    style. (Spaces too: CSS reads a space after an escape as the escape's end.)"""
    escaped = (c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text)
    return '"' + "".join(escaped) + '"'


def font_family(fonts: Fonts, only: frozenset[str] | None = None) -> str:
    """The ``font-family`` value: the look's text family, its Arabic family, the fallback
    families in the PDF's order of preference (those of ``only`` where given: the ones
    the page carries), and the reader's sans-serif."""
    fallbacks = (
        fallback.family
        for fallback in fallback_families()
        if only is None or fallback.family in only
    )
    families = [fonts.family, fonts.arabic, *fallbacks]
    return ",".join(css_string(family) for family in families) + ",sans-serif"


def number(value: float) -> str:
    """A CSS number, short and the same on every machine."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class Units:
    """Points of the look as ``rem``: fractions of the body text's size."""

    def __init__(self, look: Look) -> None:
        self.base = look.text.body.size

    def __call__(self, points: float) -> str:
        return "0" if points == 0 else f"{number(points / self.base)}rem"


def text_style(style: TextStyle, rem: Units) -> str:
    """The declarations of one of the look's text styles."""
    declarations = [
        f"font-size:{rem(style.size)}",
        f"line-height:{number(style.leading / style.size)}",
        f"color:{style.colour}",
        f"font-weight:{700 if style.bold else 400}",
        f"font-style:{'italic' if style.italic else 'normal'}",
        f"margin-top:{rem(style.space_before)}",
        f"margin-bottom:{rem(style.space_after)}",
    ]
    if style.indent:
        declarations.append(f"margin-inline-start:{rem(style.indent)}")
    if style.hyphenate:  # by the rules of the element's lang, where the browser has them
        declarations.append("hyphens:auto")
    return ";".join(declarations)


class DraftMark(NamedTuple):
    """The draft mark: its text, its direction, and its width at a size of 1."""

    text: str
    direction: Direction
    width: float


def screen_css(
    look: Look, paper: str, draft: DraftMark | None, fallbacks: frozenset[str] | None = None
) -> str:
    """The page's style on screen (and the base of print): the look, rule by rule.

    The text is never wider than on ``paper``; ``draft`` is given when the pack is one.
    """
    rem, colours = Units(look), look.colours
    page_width, _ = look.page.size(paper)
    margins = look.page.margins
    text_width = rem(page_width - margins.left - margins.right)
    body = look.text.body
    rules = [
        ":root{color-scheme:light}",
        "*,*::before,*::after{box-sizing:border-box}",
        "html{font-size:100%;-webkit-text-size-adjust:100%;text-size-adjust:100%}",
        f"body{{margin:0;background:{PAPER};color:{body.colour};"
        f"font-family:{font_family(look.font, fallbacks)};font-size:1rem;"
        f"line-height:{number(body.leading / body.size)};font-synthesis:weight;"
        "overflow-wrap:break-word}",
        f".cover,main{{padding-inline:max({SCREEN_GUTTER},calc(50% - {text_width} / 2))}}",
        f"main{{padding-bottom:{rem(look.cover.space_below_logo)}}}",
        f"p{{{text_style(body, rem)}}}",
        *(f".{role}{{{text_style(look.text.of(role), rem)}}}" for role in ROLES),
        "h1,h2,h3,h4,h5,h6{font:inherit;margin:0}",
        *(f".h{level}{{{text_style(style, rem)}}}" for level, style in enumerate(look.headings, 1)),
        f"a{{color:{colours.link};text-decoration:underline;text-underline-offset:0.15em}}",
        "a:hover{text-decoration-thickness:0.125em}",
        "a.url{overflow-wrap:anywhere}",
        ":focus-visible{outline:0.125rem solid currentColor;outline-offset:0.125rem}",
        *_lists(look, rem),
        *_tables(look, rem),
        *_key_messages(look, rem),
        *_cover(look, rem),
        *_contents(look, rem),
        f"hr.page-break{{border:0;border-top:0.0625rem solid {look.page.header_rule.colour};"
        f"margin:{rem(look.headings[0].space_before)} 0}}",
        ".visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;"
        "overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}",
    ]
    if draft is not None:
        rules.append(_draft(look, draft, rem))
    return "\n".join(rules)


def _lists(look: Look, rem: Units) -> list[str]:
    lists = look.lists
    bullets = lists.bullets
    rules = [
        f"ul,ol{{margin:0 0 {rem(lists.space_after)};padding-inline-start:{rem(lists.indent)}}}",
        # an item read the other way than its list (the only ones with a dir of their
        # own) has its marker and its indent on its own side, its list's indent moved there
        f"li[dir]{{margin-inline:{rem(lists.indent)} -{rem(lists.indent)}}}",
        "ol{list-style-type:decimal}",
        f"li::marker{{color:{lists.colour}}}",
    ]
    for depth in range(LIST_DEPTHS):
        selector = ":is(ul,ol) " * depth + "ul"
        rules.append(
            f"{selector}{{list-style-type:{css_string(bullets[depth % len(bullets)] + ' ')}}}"
        )
    return rules


def _tables(look: Look, rem: Units) -> list[str]:
    tables, text = look.tables, look.text
    return [
        f".table-scroll{{overflow-x:auto;margin:{rem(tables.space_before)} 0 "
        f"{rem(tables.space_after)}}}",
        "table{width:100%;border-collapse:collapse;table-layout:fixed}",
        f"th,td{{padding:{rem(tables.padding)};vertical-align:top;text-align:start;"
        f"border-bottom:{rem(tables.rule_width)} solid {tables.rule};overflow-wrap:anywhere}}",
        f"th{{{text_style(text.table_head, rem)};background:{tables.header_fill};margin:0}}",
        f"td{{{text_style(text.table_cell, rem)};margin:0}}",
        # Narrower than the look's page: the browser shares the columns by their words,
        # breaking only web addresses, and the cells' padding shrinks with the screen; a
        # table still too wide scrolls in its box.
        f"@media (max-width:{NARROW}){{table{{table-layout:auto}}"
        f"th,td{{overflow-wrap:break-word;padding-inline:min({rem(tables.padding)},1.5vw)}}}}",
    ]


def _key_messages(look: Look, rem: Units) -> list[str]:
    box = look.key_messages
    padding = box.padding
    return [
        f".key-messages{{background:{box.fill};"
        f"border-inline-start:{rem(box.bar_width)} solid {box.bar};"
        f"padding-block:{rem(padding.top)} {rem(padding.bottom)};"
        f"padding-inline:min({rem(padding.left)},4vw) min({rem(padding.right)},4vw);"
        f"margin:{rem(box.space_before)} 0 {rem(box.space_after)}}}",
        ".key-messages>:first-child{margin-top:0}",
        ".key-messages>:last-child,.key-messages>:last-child>li:last-child>:last-child"
        "{margin-bottom:0}",
    ]


def _cover(look: Look, rem: Units) -> list[str]:
    cover = look.cover
    return [
        # On a narrow screen the band and the space above the title shrink with it.
        f".cover{{border-top:min({rem(cover.band_height)},20vw) solid {cover.band};"
        f"padding-top:min({rem(cover.space_above)},20vw);"
        f"padding-bottom:{rem(cover.space_below_logo)}}}",
        ".cover .logo{display:block;max-width:100%;height:auto;"
        f"margin-bottom:{rem(cover.space_below_logo)}}}",
        f'.cover::after{{content:"";display:block;width:min(100%,{rem(cover.rule_width)});'
        f"height:{rem(cover.rule_height)};background:{cover.band};"
        f"margin-top:{rem(cover.space_below_logo)}}}",
    ]


def _contents(look: Look, rem: Units) -> list[str]:
    """The contents, and the index, whose names and entries take the contents' first and
    second levels' style, as in the PDF."""
    rules = [
        ".contents ul,.index,.index ul{list-style:none;margin:0;padding:0}",
        ".contents a,.index a{display:block;color:inherit;text-decoration:none}",
        ".contents a:hover,.contents a:focus-visible,.index a:hover,.index a:focus-visible"
        "{text-decoration:underline}",
    ]
    levels = [(f".contents .toc-{n}", style) for n, style in enumerate(look.contents.levels, 1)]
    levels += [(f".index .toc-{n}", look.contents_level(n)) for n in (1, 2)]
    for selector, style in levels:
        indent = f";padding-inline-start:{rem(style.indent)}" if style.indent else ""
        flat = style.model_copy(update={"indent": 0.0})
        rules.append(f"{selector}{{{text_style(flat, rem)}{indent}}}")
    return rules


def _draft(look: Look, draft: DraftMark, rem: Units) -> str:
    """The draft mark across the middle of the window (of every printed page), behind the
    text, as large as the look says and never wider than the view."""
    style = look.text.draft_mark
    fit = number(90 / max(draft.width, 0.1))
    # In forced colours (a high-contrast theme) the browser draws every text in the
    # theme's text colour, the mark too: faded, it stays behind the text (at 0.4 it still
    # has the 3:1 contrast of large text on the theme's background) instead of crossing
    # the page as bright as it.
    forced = "@media (forced-colors:active){body::before{opacity:0.4}}"
    return (
        f"body::before{{content:{css_string(draft.text)};direction:{draft.direction};"
        "position:fixed;inset:0;display:flex;"
        "align-items:center;justify-content:center;"
        f"transform:rotate(-{number(look.draft_mark.angle)}deg);z-index:-1;"
        f"font-size:min({rem(style.size)},{fit}vmin);line-height:1;white-space:nowrap;"
        f"font-weight:{700 if style.bold else 400};color:{style.colour};pointer-events:none}}"
        + forced
    )


def revision_css(words: RevisionWords) -> str:
    """What an edition added or removed, said around it to screen readers (which do not
    announce ``ins`` and ``del`` by default), and drawn as a redline draws it: added text
    underlined twice, removed text struck through. (A single underline, the browser's,
    is also a link's, and the look's link colour is as dark as its text: added words
    read as links, a section the edition added as a heading that links somewhere.)"""
    hidden = (
        "position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;"
        "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap"
    )
    return "\n".join(
        [
            "ins{text-decoration:underline double}",
            "del{text-decoration:line-through}",
            f"ins::before{{content:{css_string(words.inserted + ' ')}}}",
            f"ins::after{{content:{css_string(' ' + words.inserted_end)}}}",
            f"del::before{{content:{css_string(words.deleted + ' ')}}}",
            f"del::after{{content:{css_string(' ' + words.deleted_end)}}}",
            f"ins::before,ins::after,del::before,del::after{{{hidden}}}",
        ]
    )


def print_css(
    look: Look,
    paper: str,
    header: tuple[str, Direction] | None,
    label: str,
    label_direction: Direction,
    fallbacks: frozenset[str] | None = None,
) -> str:
    """The page in print: the look's paper, margins and sizes in points, the running
    header and page label in the page margins, page breaks where the tree has them, the
    address of each web link.

    ``label`` is the page label as CSS content (strings and page counters).
    """
    rem = Units(look)
    width, height = look.page.size(paper)
    margins, cover, furniture = look.page.margins, look.cover, look.text.furniture
    rule = look.page.header_rule
    furniture_font = (
        f"font-family:{font_family(look.font, fallbacks)};font-size:{number(furniture.size)}pt;"
        f"line-height:{number(furniture.leading / furniture.size)};color:{furniture.colour}"
    )
    page_boxes = ""
    if header is not None:
        text, direction = header
        side = "right" if direction == "rtl" else "left"
        page_boxes += (
            f"@top-{side}{{content:{css_string(text)};{furniture_font};direction:{direction};"
            f"vertical-align:bottom;padding-bottom:6pt;margin-bottom:14pt;"
            f"border-bottom:{number(rule.width)}pt solid {rule.colour}}}"
        )
    page_boxes += (
        f"@bottom-right{{content:{label};{furniture_font};direction:{label_direction};"
        "vertical-align:top;padding-top:14pt}"
    )
    keep = [
        f".h{level}" for level, style in enumerate(look.headings, 1) if style.keep_with_next
    ] + [f".{role}" for role in ROLES if look.text.of(role).keep_with_next]
    keep.append(".index>li>p")  # an index's name stays with its first entry
    cover_top = max(margins.top - cover.band_height, 0) + cover.space_above
    rules = [
        f"@page{{size:{number(width)}pt {number(height)}pt;"
        f"margin:{number(margins.top)}pt {number(margins.right)}pt "
        f"{number(margins.bottom)}pt {number(margins.left)}pt;{page_boxes}}}",
        "@page cover{margin:0;@top-left{content:none}@top-right{content:none}"
        "@bottom-right{content:none}}",
        "@media print{",
        f"html{{font-size:{number(rem.base)}pt}}",
        "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}",
        ".cover,main{padding-inline:0;padding-bottom:0}",
        ".table-scroll{overflow:visible}",
        f".cover{{page:cover;position:relative;height:{number(height - 1)}pt;border-top-width:"
        f"{number(cover.band_height)}pt;"
        f"padding:{number(cover_top)}pt {number(margins.right)}pt {number(margins.bottom)}pt "
        f"{number(margins.left)}pt;break-after:page}}",
        f".cover::after{{position:absolute;bottom:{number(margins.bottom)}pt;"
        f"inset-inline-start:{number(margins.left)}pt;margin:0}}",
        "hr.page-break{break-after:page;border:0;margin:0;height:0}",
        *([f"{','.join(keep)}{{break-after:avoid}}"] if keep else []),
        f".{WITH_PREVIOUS}{{break-before:avoid}}",
        "p,li,tr,.contents a{break-inside:avoid}",
        "thead{display:table-header-group}",
        ".key-messages{-webkit-box-decoration-break:clone;box-decoration-break:clone}",
        "a:focus-visible{outline:0}",
        # On paper a link is its address: the address after a web link whose text is not
        # it ("Read the statement online"), in brackets that read as the line does, itself
        # isolated left to right (LRI ... PDI) in a line of either direction.
        'a[href^="http"]:not(.url)::after{content:" (\\2066" attr(href) "\\2069)";'
        "unicode-bidi:isolate;overflow-wrap:anywhere}",
        "}",
    ]
    return "\n".join(rules)
