"""Adapters that carry the answer core to chat platforms; the core never imports them."""
