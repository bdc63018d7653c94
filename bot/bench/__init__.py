"""Benchmarks (`ddokddok bench NAME`): each prints its figures and ends with one line of JSON."""
