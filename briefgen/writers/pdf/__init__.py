"""The PDF writer (reportlab platypus)."""
