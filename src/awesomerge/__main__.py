"""The command's entry point, for ``awesomerge`` and ``python -m awesomerge``.

Ctrl-C while the program is still loading (a few tenths of a second of imports) ends it as it
does later: one line and exit 130, not a traceback.
"""

import sys


def run() -> None:
    try:
        from awesomerge.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
