"""Users, keys, request signatures, bearer tokens and access to resources."""
