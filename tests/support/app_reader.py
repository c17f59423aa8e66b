"""An app reader for the concurrency tests: the Overview under AppTest, run again and again
on a store while other processes write to it, until a stop file appears; then run once
more and print, as JSON, what it showed last and any exception it met.

    python -m tests.support.app_reader URL STOP_FILE
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent.parent / "app.py")


def shown(at: AppTest) -> dict[str, object]:
    """The snapshot the Overview shows and its number of active projects."""
    if at.exception:
        return {"exception": str(at.exception)}
    boxes = [b for b in at.selectbox if b.key == "as_of"]
    captions = [c.value for c in at.caption if "active projects" in c.value]
    found = re.search(r"(\d+) active projects", captions[0]) if captions else None
    return {
        "as_of": boxes[0].value if boxes else None,
        "active": int(found.group(1)) if found else None,
    }


def main(url: str, stop_file: str) -> int:
    os.environ["COCKPIT_DB"] = url
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    print(json.dumps({"ready": True, **shown(at)}), flush=True)
    runs, exceptions, seen = 1, [], set()
    while not Path(stop_file).exists():
        at.run()
        runs += 1
        view = shown(at)
        if "exception" in view:
            exceptions.append(view["exception"])
        seen.add(view.get("as_of"))
        time.sleep(1.0)  # a person rereading, not a loop that starves the writers
    at.run()
    print(json.dumps({"runs": runs, "exceptions": exceptions, "dates_seen": len(seen),
                      **shown(at)}), flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
