"""A paragraph's lines are a function of the paragraph and the width: broken again (the
layout found no room for it at a page's end, and tries on the next page), they are the
lines it was broken into the first time, and those a helper breaking ahead sends back."""

from __future__ import annotations

import pytest
from reportlab.platypus import Flowable

from briefgen import tree
from briefgen.look import default_look
from briefgen.writers.pdf.bidi import BidiParagraph
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.paragraph import paragraph
from briefgen.writers.pdf.styles import hyphenated, pdf_styles

register_pdf_fonts()
WIDTH = 459.2  # the default look's A4 text width, in points
# Words with a hyphen of their own and long words hyphenation cuts at line ends.
WORDS = (
    "In this regard, the policy of scientists urges that food systems requires continued "
    "secretariat and long-term mechanism for partners, including through integrated "
    "heritage. At the same time, the investment of commitments requests all farmers to "
    "expand the predictable assessment of early warning systems for capacity-building."
)
CONTENTS = [
    (tree.Text(WORDS),),
    (
        tree.Text("The group calls for all "),
        tree.Emphasis((tree.Text("institutions"),)),
        tree.Text(" to deliver the "),
        tree.Strong((tree.Text("scientific baseline"),)),
        tree.Text(" of technology transfer without delay. " + WORDS),
    ),
    (tree.Text("Il rapporto: " + WORDS + " Ελλάδα κοινωνία των πολιτών."),),  # bidi path
]


def line_texts(flowable: Flowable) -> list[str]:
    """The text of each line the flowable was broken into (either paragraph kind)."""
    if isinstance(flowable, BidiParagraph):
        pieces = flowable.pieces
        return ["".join(piece.text for piece in pieces[ln.start : ln.end]) for ln in flowable.lines]
    return [
        "".join(getattr(word, "text", "") for word in line.words)
        if hasattr(line, "words")
        else " ".join(line[1])
        for line in flowable.blPara.lines
    ]


@pytest.mark.parametrize("content", CONTENTS)
@pytest.mark.parametrize("width", [WIDTH, 300.0, 137.5])
def test_lines_broken_again_after_no_room_are_those_of_the_first_break(
    content: tuple[tree.Inline, ...], width: float
) -> None:
    style = hyphenated(pdf_styles(default_look()).role("body"), "en")
    first = paragraph(content, style, "ltr", "#000000")
    first.wrap(width, 20)
    broken_first = line_texts(first)
    assert first.split(width, 5) == []  # no room for a line: the layout tries elsewhere
    first.wrap(width, 700)
    assert line_texts(first) == broken_first
    first.wrap(width / 2, 700)  # another width (a table's column), then the same again
    first.wrap(width, 700)
    assert line_texts(first) == broken_first
