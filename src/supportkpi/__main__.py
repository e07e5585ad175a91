"""``python -m supportkpi``: the same as the ``supportkpi`` command."""

from supportkpi.cli import main

if __name__ == "__main__":
    main()
