"""The database: the tables (`models`), opening it and units of work (`db`), and the schema's migrations."""
