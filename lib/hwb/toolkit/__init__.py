"""The papers' toolkit: the figure recorder, checks, charts, disclosure, notebook setup."""
