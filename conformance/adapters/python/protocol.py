"""The adapter protocol (conformance/ADAPTERS.md) for the Python adapters: --capabilities, one
case per process, and --batch. Each adapter supplies its capabilities and a reader.

  read(area, data) -> (status, output, message), status "accept", "reject" or "crash";
  output, for accept, is the tagged JSON (or {"unrepresentable": ...}) text."""

import base64
import json
import sys


def serve(argv, capabilities, areas, read):
    """Runs the adapter for argv; returns its exit status. `capabilities` is called only for
    --capabilities (looking up versions may be slow)."""
    if argv == ["--capabilities"]:
        print(json.dumps(capabilities()))
        return 0
    if len(argv) == 2 and argv[0] == "--batch" and argv[1] in areas:
        for line in sys.stdin:
            request = json.loads(line)
            status, output, message = read(argv[1], base64.b64decode(request["input"]))
            reply = {"id": request.get("id"), "status": status, "output": output, "message": message}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
        return 0
    if len(argv) == 1 and argv[0] in areas:
        status, output, message = read(argv[0], sys.stdin.buffer.read())
        if status == "accept":
            sys.stdout.write(output + "\n")
            return 0
        sys.stderr.write(message + "\n")
        return 1 if status == "reject" else 3
    sys.stderr.write("usage: adapter --capabilities | <area> | --batch <area>, areas: %s\n" % " ".join(sorted(areas)))
    return 2
