"""Periods: months, financial quarters and financial years, and all period arithmetic (once)."""
