"""Commands: the command line and what it runs (verify, figures report, national runs)."""
