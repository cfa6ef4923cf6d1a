"""XML text: the one escaping function every value written as WordprocessingML passes."""

from __future__ import annotations

import re

NOT_IN_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"  # XML 1.0 excludes them
_INVALID_XML = re.compile(f"[{NOT_IN_XML}]")
_NEEDS_ESCAPING = re.compile(f'[&<>"\t\n\r{NOT_IN_XML}]')


def escape(value: str) -> str:
    """Return ``value`` as XML character data, valid in text and in double-quoted attributes.

    Characters XML cannot hold become U+FFFD. Tabs and line ends are written as
    references: a parser turns literal ones into spaces in attributes, and a carriage
    return into a line feed anywhere.
    """
    if not _NEEDS_ESCAPING.search(value):
        return value
    value = _INVALID_XML.sub("\ufffd", value).replace("&", "&amp;").replace("<", "&lt;")
    value = value.replace(">", "&gt;").replace('"', "&quot;").replace("\t", "&#9;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;")
