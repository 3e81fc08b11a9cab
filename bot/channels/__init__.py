"""Channels: each converts its messages to InboundMessage and renders Reply objects."""
