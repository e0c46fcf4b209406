"""A witness of other deployments' audit heads (``domain.witnessing``): its own database and key."""
