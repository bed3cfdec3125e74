"""Model updates: hostile-file defences, inspecting a published file, applying and rolling back, history, publishing."""
