"""Tools around the catalog: the national importer, evaluation, the benchmark, word proposals
and their commands (never loaded by the bot)."""
