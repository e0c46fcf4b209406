"""The pages, a module per subject, as the JSON API has a router per resource."""
