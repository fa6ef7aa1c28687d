"""Matching conditions in free text: names, ontology terms, cues, loose readings and typos (see matcher.py)."""
