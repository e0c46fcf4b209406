"""Who may do what: roles, party scopes, the policy every use case asks, the doors, key caching."""
