"""WordNet for nltk, from Debian's packages and our shipped ``lexnames``, without any download.

Debian's ``wordnet-base`` and ``wordnet-sense-index`` put WordNet 3.0 in ``/usr/share/wordnet``;
nltk wants those files plus ``lexnames`` (which Debian lacks and Gristmill ships) in one folder
``<root>/corpora/wordnet``. nltk refuses symlinks that leave its data roots and hard-linked files
(either could point outside), so the folder is assembled from copies (about 34 MB), once, in the
cache directory, and reused.

Where WordNet lives: the ``wordnet_dir`` argument, else ``$GRISTMILL_WORDNET_DIR``, else
``/usr/share/wordnet``. The cache: ``$GRISTMILL_CACHE_DIR``, else ``$XDG_CACHE_HOME/gristmill``,
else ``~/.cache/gristmill``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

from gristmill.errors import MissingDependencyError, missing_dependency

WORDNET_DIR_ENV = "GRISTMILL_WORDNET_DIR"
CACHE_DIR_ENV = "GRISTMILL_CACHE_DIR"
DEFAULT_WORDNET_DIR = Path("/usr/share/wordnet")
DEBIAN_PACKAGES = ("wordnet-base", "wordnet-sense-index")

# Every file nltk's WordNetCorpusReader opens, except lexnames (ours).
REQUIRED_FILES = (
    "cntlist.rev",
    "index.sense",
    *(f"{kind}.{pos}" for kind in ("index", "data") for pos in ("adj", "adv", "noun", "verb")),
    *(f"{pos}.exc" for pos in ("adj", "adv", "noun", "verb")),
)

_lock = threading.Lock()
_readers: dict[Path, Any] = {}


def cache_dir() -> Path:
    """Gristmill's cache folder for files derived at run time."""
    chosen = os.environ.get(CACHE_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "gristmill"


def wordnet_source_dir(wordnet_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the WordNet database files (see the module docstring)."""
    if wordnet_dir is not None:
        return Path(wordnet_dir).expanduser()
    from_env = os.environ.get(WORDNET_DIR_ENV)
    return Path(from_env).expanduser() if from_env else DEFAULT_WORDNET_DIR


def _missing_wordnet(source: Path, missing: list[str]) -> MissingDependencyError:
    packages = " ".join(DEBIAN_PACKAGES)
    return MissingDependencyError(
        f"METEOR needs WordNet 3.0, but {source} lacks {', '.join(missing[:4])}"
        + (f" and {len(missing) - 4} more files" if len(missing) > 4 else ""),
        hint=f"install the Debian packages with 'sudo apt-get install -y {packages}', or point "
        f"${WORDNET_DIR_ENV} at a folder holding the WordNet 3.0 database files",
    )


def _fingerprint(source: Path) -> str:
    # Keyed by the source's path, sizes and times, so an upgraded WordNet is re-assembled.
    digest = hashlib.sha256(str(source.resolve()).encode())
    for name in REQUIRED_FILES:
        stat = (source / name).stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def assemble_wordnet(wordnet_dir: str | os.PathLike[str] | None = None) -> Path:
    """The nltk data root (``<root>/corpora/wordnet``) for this WordNet, built once.

    Raises MissingDependencyError naming the Debian packages when the WordNet files are missing.
    """
    source = wordnet_source_dir(wordnet_dir)
    missing = [name for name in REQUIRED_FILES if not (source / name).is_file()]
    if missing:
        raise _missing_wordnet(source, missing)
    root = cache_dir() / "nltk_data" / _fingerprint(source)
    if (root / "corpora" / "wordnet" / "lexnames").is_file():
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    # Built aside and renamed into place, so a crash or a second process never sees half a folder.
    staging = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=root.parent))
    try:
        folder = staging / "corpora" / "wordnet"
        folder.mkdir(parents=True)
        for name in REQUIRED_FILES:
            shutil.copyfile(source / name, folder / name)
        lexnames = resources.files("gristmill").joinpath("resources/wordnet/lexnames")
        (folder / "lexnames").write_bytes(lexnames.read_bytes())
        try:
            staging.rename(root)
        except OSError:
            if not (root / "corpora" / "wordnet" / "lexnames").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return root


def load_wordnet(wordnet_dir: str | os.PathLike[str] | None = None) -> Any:
    """An nltk ``WordNetCorpusReader`` over the assembled folder, loaded once per process."""
    root = assemble_wordnet(wordnet_dir)
    with _lock:
        if root in _readers:
            return _readers[root]
        try:
            import nltk.data
            from nltk.corpus.reader.wordnet import WordNetCorpusReader
        except ImportError as exc:
            raise missing_dependency("nltk", "eval", "the METEOR metric") from exc
        # nltk only opens corpus files below a registered data root.
        if str(root) not in nltk.data.path:
            nltk.data.path.append(str(root))
        with warnings.catch_warnings():
            # Without the Open Multilingual Wordnet nltk warns; METEOR is English-only anyway.
            warnings.filterwarnings("ignore", message="The multilingual functions")
            reader = WordNetCorpusReader(str(root / "corpora" / "wordnet"), None)
        _readers[root] = reader
        return reader
