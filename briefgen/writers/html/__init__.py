"""The HTML writer: the pack as one self-contained, accessible web page."""
