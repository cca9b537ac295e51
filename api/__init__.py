"""The HTTP layer the apps share: pagination, filtering, errors, concurrency, permissions,
throttling and the OpenAPI schema. Apps import it; it imports no app."""
