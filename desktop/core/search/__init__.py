"""Reading a model database: the repository (tree, details), search with filters and counts, highlights."""
