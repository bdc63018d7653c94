"""A resident's request for help (a `Booking`), the provider job that fulfils it, and the yearly cost cap."""
