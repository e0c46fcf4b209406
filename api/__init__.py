"""The REST API: FastAPI routers, schemas, problem documents, authentication."""
