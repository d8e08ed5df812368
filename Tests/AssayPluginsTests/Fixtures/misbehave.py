#!/usr/bin/env python3
"""A test plugin for the plugin host's fault-injection tests (protocol v1).

Its scorer `echo` answers with the first evidence item's value as the score. It misbehaves as argv[1] says,
at the request of the candidate named in argv[2] when the misbehaviour is per request:
  good          never misbehaves
  crash         exits with status 70 (after a line on stderr) when it reads that candidate's request
  hang          sleeps for an hour at that candidate's request
  garbage       writes a line that is not JSON instead of that candidate's answer
  huge          answers that candidate with a 100 MB line
  protocol      says it speaks protocol 2
  exit-on-start exits with status 3 before reading anything (after a line on stderr)
  stderr-only   writes to stderr and never answers
  orphan        starts a child (sleep 600) at that candidate's request, then exits with status 0
  stdout-block  answers without flushing (a common bug): the answers come only when the buffer fills
  slow          a correct plugin that takes argv[2] seconds over every request
"""
import json
import os
import subprocess
import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "good"
trigger = sys.argv[2] if len(sys.argv) > 2 else ""

if mode == "exit-on-start":
    print("misbehave: cannot load the model file", file=sys.stderr, flush=True)
    sys.exit(3)

out = sys.stdout
for line in sys.stdin:
    message = json.loads(line)
    kind = message.get("type")
    if kind == "hello":
        if mode == "stderr-only":
            print("misbehave: thinking about the hello", file=sys.stderr, flush=True)
            continue
        answer = {"type": "hello", "protocol": 2 if mode == "protocol" else 1, "name": "misbehave", "version": "0.1", "scorers": ["echo"]}
    elif kind == "score":
        if mode == "stderr-only":
            print("misbehave: still thinking", file=sys.stderr, flush=True)
            continue
        if mode == "slow":
            time.sleep(float(trigger))
        if message["candidate"] == trigger:
            if mode == "crash":
                print("misbehave: fatal error at " + trigger, file=sys.stderr, flush=True)
                os._exit(70)
            if mode == "hang":
                time.sleep(3600)
            if mode == "garbage":
                out.write("Traceback (most recent call last): not JSON\n")
                out.flush()
                continue
            if mode == "huge":
                out.write('{"type":"result","id":%d,"score":"1","explanation":"' % message["id"])
                block = "x" * (1 << 20)
                for _ in range(100):
                    out.write(block)
                out.write('"}\n')
                out.flush()
                continue
            if mode == "orphan":
                subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL)
                os._exit(0)
        items = message.get("items", [])
        if not items:
            answer = {"type": "error", "id": message["id"], "message": "no item to echo"}
        else:
            answer = {"type": "result", "id": message["id"], "score": items[0]["value"], "explanation": "echoed " + items[0]["value"]}
    elif kind == "shutdown":
        break
    else:
        continue
    out.write(json.dumps(answer) + "\n")
    out.flush()
