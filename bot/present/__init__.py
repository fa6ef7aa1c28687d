"""Presentation shared by every adapter: the short form, details and pages of an answer, and plain text."""

from bot.present.compose import fill_words, present
from bot.present.document import Line, Page, Presentation, Section, Style
from bot.present.plain import page_text, pages_text

__all__ = ["Line", "Page", "Presentation", "Section", "Style", "fill_words", "page_text", "pages_text", "present"]
