"""Whether a process lives: the one check the runner, the zygote and the server share.

Standard library only, so the server's client path stays light.
"""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie.

    Examples
    --------
    >>> alive(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc: kill(0) is all we know
        return True
