"""Building packs: render the formats, write them atomically, keep the manifest."""
