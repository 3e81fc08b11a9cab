"""Channel-agnostic conversation: messages, dialogue state and one module per feature."""
