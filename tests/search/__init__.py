"""Lists, filters, sorting and search (Arabic too): the SQL and Python filters agree."""
