"""``SOURCE_DATE_EPOCH``: the date a reproducible build is asked to carry, checked.

The variable holds a count of seconds since 1970-01-01 00:00 UTC in ASCII digits, as
``date +%s`` prints it (https://reproducible-builds.org/specs/source-date-epoch/).
PDF dates have four-digit years, so the latest usable moment is 9999-12-31 23:59:59
UTC. Anything else is the user's error, naming the variable, never a traceback.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from briefgen.input.diagnostics import Diagnostic, UserError

VARIABLE = "SOURCE_DATE_EPOCH"
LATEST = 253_402_300_799
"""9999-12-31 23:59:59 UTC, in seconds since 1970: the last moment a PDF date can show."""
_SHOWN = 40


def source_date_epoch() -> date | None:
    """Return the UTC date of ``SOURCE_DATE_EPOCH``; None when it is unset or empty.

    Raises ``UserError`` when it is not a count of seconds or lies past 9999-12-31.
    """
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        shown = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
        raise _error(
            f"{shown!r} is not a count of seconds since 1970-01-01 00:00 UTC"
            " (digits only, as `date +%s` prints it)"
        )
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(LATEST)) or int(digits) > LATEST:
        shown = digits if len(digits) <= _SHOWN else digits[:_SHOWN] + "…"
        raise _error(
            f"{shown} is after 9999-12-31 23:59:59 UTC ({LATEST}), the last moment a PDF date"
            " can show"
        )
    return datetime.fromtimestamp(int(digits), UTC).date()


def _error(message: str) -> UserError:
    return UserError([Diagnostic(VARIABLE, 0, 0, "", message)])
