"""The JSON API: retries and races, problem documents, records read back, hardening, the OpenAPI document's truth."""
