"""People who sign in as themselves: their accounts (``person``) and what a password must be (``passwords``)."""
