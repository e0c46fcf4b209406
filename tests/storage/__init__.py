"""How records are saved: transactions, turns, the read model's projection, PostgreSQL, several processes."""
