"""Composing the pack: a ``Session`` and the templates -> the document tree."""
