"""govcrawl: crawl China's government information-disclosure annual reports into checked records."""

from pathlib import Path

__version__ = "0.1.0"

#: The repository root (where `fixtures/` lives) for a source checkout or editable install.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
