"""The static site of conversation insights: a folder anyone can open, optionally encrypted.

::

    from gristmill.site import SiteData, write_site, serve_site

    info = write_site(data, "out/site", password=os.environ["SITE_PASSWORD"])
    serve_site("out/site")               # http://127.0.0.1:8421

``SiteData`` is the contract with the pipeline (trees, map points, conversations, facet values);
``docs/clio-site.md`` describes the folder and its encryption.
"""

from __future__ import annotations

from gristmill.site._crypto import ITERATIONS, SiteKey, derive_key
from gristmill.site._data import (
    SiteData,
    SiteFacet,
    SiteNode,
    SitePoints,
    SiteTree,
    read_site_data,
)
from gristmill.site._from_clio import site_data_from_clio, write_clio_site
from gristmill.site._serve import (
    DEFAULT_SITE_PORT,
    SiteServer,
    serve_site,
    site_app,
    start_site_server,
)
from gristmill.site._write import (
    DEFAULT_MAX_FILE_BYTES,
    SiteInfo,
    conversation_turns,
    write_site,
)

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_SITE_PORT",
    "ITERATIONS",
    "SiteData",
    "SiteFacet",
    "SiteInfo",
    "SiteKey",
    "SiteNode",
    "SitePoints",
    "SiteServer",
    "SiteTree",
    "conversation_turns",
    "derive_key",
    "read_site_data",
    "serve_site",
    "site_app",
    "site_data_from_clio",
    "start_site_server",
    "write_clio_site",
    "write_site",
]
