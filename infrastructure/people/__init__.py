"""People's credentials, beside the event log and never in it (decision 0075): password hashes (Argon2id), the
invitations that let a person choose one, and the check against the commonest leaked passwords."""
