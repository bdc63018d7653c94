"""Figures for district offices: jobs done per provider, the monthly claim, and the weekly chart."""
