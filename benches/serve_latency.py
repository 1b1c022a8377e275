#!/usr/bin/env python3
"""One-file edit to reload event in `avtal serve`: benches/serve_latency.py AVTAL SITE LABEL.

Starts `AVTAL serve --root SITE --port 0`, subscribes to its event stream
(/__avtal/events, Server-Sent Events) like an open page does, then appends a sentence to
one document at a time and measures from the write to the `reload` event that tells the
edited page to reload (an event naming it, or naming no pages: all reload). The edited
files are restored afterwards. Prints the median and the slowest of the edits, for
documents and versions apart; asserts nothing about time.
"""

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

DOCUMENT_EDITS = 6
VERSION_EDITS = 4


def pick_files(site):
    """Documents to edit, spread over the site, and versions of different works: pairs
    (path, kind)."""
    content = os.path.join(site, "content")
    documents, versions = [], []
    for folder, _, names in sorted(os.walk(content)):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                head = f.read(200)
            (versions if "kind: version" in head else documents).append(path)
    chosen = [(p, "document") for p in documents[:: max(1, len(documents) // DOCUMENT_EDITS)][:DOCUMENT_EDITS]]
    chosen += [(p, "version") for p in versions[:: max(1, len(versions) // VERSION_EDITS)][:VERSION_EDITS]]
    return chosen


class EventStream:
    """A page's subscription: a raw socket, so time is taken when the bytes arrive."""

    def __init__(self, address):
        self.sock = socket.create_connection(address, timeout=60)
        # The Host a browser sends: `avtal serve` refuses other names (DNS rebinding).
        host = f"{address[0]}:{address[1]}"
        self.sock.sendall(
            f"GET /__avtal/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        self.buffer = ""

    def events(self, deadline):
        """Yields (event name, data, arrival time) until the deadline."""
        while time.monotonic() < deadline:
            match = re.search(r"^event: *(\S+)\r?\ndata: *([^\r\n]*)\r?\n", self.buffer, re.M)
            if match:
                self.buffer = self.buffer[match.end():]
                yield match.group(1), match.group(2), time.monotonic()
                continue
            self.sock.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return
            if not data:
                return
            self.buffer += data.decode("utf-8", "replace")


def main():
    avtal, site, label = sys.argv[1], sys.argv[2], sys.argv[3]
    # The server's report (warnings included) goes to a file: a pipe nobody reads fills
    # up on a large site and blocks the server.
    # SERVE_LOG=FILE keeps it for reading afterwards.
    log = open(os.environ["SERVE_LOG"], "w+") if os.environ.get("SERVE_LOG") else tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen(
        [avtal, "serve", "--root", site, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    originals = {}
    try:
        started = time.monotonic()
        address = None
        while address is None:
            line = server.stdout.readline()
            if not line:
                log.seek(0)
                raise SystemExit(f"serve exited: {log.read()[-2000:]}")
            match = re.search(r"http://([\d.]+):(\d+)(/\S*)", line)
            if match:
                address = (match.group(1), int(match.group(2)))
                base_path = match.group(3)
        first_build = time.monotonic() - started
        stream = EventStream(address)
        # Let the watcher settle: drain whatever the stream says first.
        for _ in stream.events(time.monotonic() + 0.5):
            pass
        content = os.path.join(site, "content")
        latencies = {"document": [], "version": []}
        for n, (path, kind) in enumerate(pick_files(site)):
            with open(path, encoding="utf-8") as f:
                originals[path] = f.read()
            written = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(originals[path] + f"\nMätning nummer {n}.\n")
            address_of_page = base_path + os.path.relpath(path, content)[: -len(".md")] + "/"
            for name, data, arrived in stream.events(written + 30):
                if name != "reload":
                    continue
                try:
                    pages = json.loads(data).get("pages")
                except ValueError:
                    pages = None
                if pages is None or address_of_page in pages:
                    latencies[kind].append((arrived - written) * 1000)
                    break
            time.sleep(0.3)
        if not any(latencies.values()):
            print(f"serve, {label}: no reload event arrived")
            return
        parts = [
            f"{kind}s: median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms over {len(times)} edits"
            for kind, times in latencies.items()
            if times
        ]
        print(
            f"serve, {label}: one-file edit to reload event; " + "; ".join(parts)
            + f" (start-up build {first_build:.1f} s)"
        )
    finally:
        for path, text in originals.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
