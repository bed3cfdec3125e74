"""Qt-free core: schema, model building, queries, search, export. Never imports PySide6."""
