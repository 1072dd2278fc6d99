"""The party handbook's pages, one module per sub-domain."""
