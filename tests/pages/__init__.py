"""The web pages: in-process, every page in every language, and a real browser."""
