"""The user's workspace: notes, werksets, plans and quickscans, backups and recovery, exchange with other laptops."""
