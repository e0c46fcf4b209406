"""The public transparency portal, mounted at ``/public``: what an administrator published, for anyone,
without a key or a cookie, as pages (in Arabic, English and French), JSON, CSV, schema.org JSON-LD and Atom.
It is a door to the same application layer (``application.publishing.public``) as every other."""
