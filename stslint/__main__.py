"""``python -m stslint``."""
from stslint.cli import main

if __name__ == "__main__":
    main()
