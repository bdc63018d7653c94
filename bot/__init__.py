"""Everything that talks to residents and staff and remembers them: conversation, bookings."""
