"""``python -m gristmill`` runs the CLI."""

from gristmill.cli import main

if __name__ == "__main__":
    main()
