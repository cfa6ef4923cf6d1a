"""Editions: a pack compared with an earlier one (``build --since``)."""
