"""``python -m chargekit ...`` and the ``chargekit`` console script: the ``chargekit`` command
of the Rust ``cli`` crate (``sessions``, ``price``, ``verify``, ``tariff``), run in-process."""

import sys
from typing import List, Optional

from ._chargekit import _cli


def main(argv: Optional[List[str]] = None) -> None:
    """Runs the command with ``argv`` (default: ``sys.argv[1:]``) and exits with its code."""
    sys.stdout.flush()
    sys.exit(_cli(["chargekit", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    main()
