"""The JSON Schema of the input format, for editors' autocompletion and validation."""

from __future__ import annotations

import json

from briefgen.input.model import Session

SCHEMA_ID = "https://briefgen.invalid/schema/briefgen-input-v1.json"


def input_schema_json() -> str:
    """Return the JSON Schema of input format v1 as indented JSON text ending in a newline."""
    schema = Session.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "briefgen input file (format 1)",
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
