"""The kernel: registry, parameters, runner, manifest, verify, kernelspec, HTML template.

Nothing here knows any paper by name.
"""

import sys

# jsonschema's format checker imports rfc3987_syntax when it is installed, and that module
# builds 38 lark grammars as it is imported (1.5-4 s of every process that imports nbformat:
# each command, worker and zygote).  The checker would use it only for the "iri" formats of
# JSON Schema draft 7 and later; nbformat validates against draft-4 schemas, which have none.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
