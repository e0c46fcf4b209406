"""The web pages: a door to the application layer for people who work in a browser."""
