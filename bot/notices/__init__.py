"""Staff notices to residents: writing them, the delivery queue, and the sender that works through it."""
