#!/usr/bin/env python3
"""A do-nothing external estimator for bench/external.ts: reads each request, answers no rows, so a run
with it measures the protocol's cost alone (the panel written, the request, the answer)."""
import json
import sys

for line in sys.stdin:
    print(json.dumps({"draw": json.loads(line)["draw"], "rows": []}), flush=True)
