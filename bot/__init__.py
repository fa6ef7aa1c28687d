"""ivig-chat: cited answers on the evidence for intravenous immunoglobulin (IVIG), condition by condition."""

__version__ = "0.1.0"
