"""What the public sees: the records an administrator published (``publications``), and how they read to a
visitor without a key (``public``): only what a published record says in public, as of any date."""
