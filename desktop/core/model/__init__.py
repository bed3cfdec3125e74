"""The model and its formats: entities, the declarative schema, and the TOML, SQLite, workbook and JSON codecs."""
