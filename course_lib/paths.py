"""Where the course's files live.

Everything the library reads from disk is found from here, so a checkout, an
editable install and a relocated data folder (``COSTLAB_DATA_DIR``) all work.
This module only computes paths; it never creates or downloads anything.
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("COSTLAB_DATA_DIR") or REPO_ROOT / "data")
WORLD_DIR = DATA_DIR / "world"
HIDDEN_DIR = REPO_ROOT / "graders" / "hidden"
TOKENIZER_DIR = DATA_DIR / "tokenizers"
PRICES_DIR = DATA_DIR / "prices"
