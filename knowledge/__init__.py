"""The city's knowledge: KB files, text normalisation, FAQ matching, complaint routing and records."""
