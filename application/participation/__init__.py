"""The parties' own word: what their focal points do from their e-mail, without an account."""
