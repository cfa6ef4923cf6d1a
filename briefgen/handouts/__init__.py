"""One-page handouts with QR codes, made beside the pack (``briefgen handouts``)."""
