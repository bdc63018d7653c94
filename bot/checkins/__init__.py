"""Wellness check-ins: plans, rounds, the dispatcher that asks and escalates, and reaching people."""
