"""Use cases of the commitment tracker: verb-named methods on one Application."""
