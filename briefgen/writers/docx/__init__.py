"""The DOCX writer (python-docx and WordprocessingML written as text)."""
