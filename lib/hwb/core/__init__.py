"""The kernel: registry, parameters, runner, manifest, verify, kernelspec, HTML template.

Nothing here knows any paper by name.
"""
