#!/usr/bin/env python3
"""A test plugin for the plugin host's tests of answers that look right but are not (protocol v1).

Its scorer `echo` answers with the first evidence item's value as the score, as misbehave.py's does. At the
request of the candidate named in argv[2] it does what argv[1] says:
  number      answers with the score argv[3] written as a bare JSON number (`"score":3.3333000000000001`)
  duplicate   answers that request twice (the second time with argv[3] as the score)
  setsid      starts `setsid sleep argv[3]` (a process in a session of its own), then answers as usual;
              with argv[2] "hello" it does so at the handshake, through a shell that exits at once (the
              sleep is left an orphan, and under a subreaper becomes Assay's child); with argv[4] "hang" it
              then hangs instead of answering
"""
import json
import os
import subprocess
import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "good"
trigger = sys.argv[2] if len(sys.argv) > 2 else ""
extra = sys.argv[3] if len(sys.argv) > 3 else ""
then = sys.argv[4] if len(sys.argv) > 4 else ""

out = sys.stdout


def escape():
    # The shell starts `setsid sleep N` in the background and exits: the sleep's parent is gone before the
    # plugin answers, and it is in a session (and process group) of its own.
    subprocess.run(["/bin/sh", "-c", "setsid sleep %s </dev/null >/dev/null 2>&1 &" % extra], check=True)


for line in sys.stdin:
    message = json.loads(line)
    kind = message.get("type")
    if kind == "hello":
        if mode == "setsid" and trigger == "hello":
            escape()
        answer = json.dumps({"type": "hello", "protocol": 1, "name": "quirks", "version": "0.1", "scorers": ["echo"]})
    elif kind == "score":
        items = message.get("items", [])
        value = items[0]["value"] if items else "0"
        answer = json.dumps({"type": "result", "id": message["id"], "score": value, "explanation": "echoed " + value})
        if message["candidate"] == trigger:
            if mode == "number":
                answer = '{"type":"result","id":%d,"score":%s,"explanation":"as a number"}' % (message["id"], extra)
            if mode == "duplicate":
                out.write(answer + "\n")
                answer = json.dumps({"type": "result", "id": message["id"], "score": extra, "explanation": "again"})
            if mode == "setsid":
                escape()
                if then == "hang":
                    time.sleep(3600)
    elif kind == "shutdown":
        break
    else:
        continue
    out.write(answer + "\n")
    out.flush()
