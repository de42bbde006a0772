#!/usr/bin/python3
"""bench/quantum-standin/poll.py: what one look of the quantum-cli stand-in's --wait costs, through the Engine API
socket (how the stand-in reads when DOCKER_HOST is a unix socket or unset) and through the docker CLI (how it reads
for any other engine: forced here with DOCKER_CONTEXT=default), on a throw-away stack of two services.

One look = the stack's services (with defaults, as `docker service inspect`) + every task of them: what --wait reads
every 0.25 s. Reported: wall time and CPU (the stand-in's own + the docker processes it starts) per look, medians
of the repetitions.

Needs: .ci/setup-env.sh done (Swarm, the CI Redis image), `. /var/lib/deployer-ci/env.sh`.
Usage: bench/quantum-standin/poll.py [looks per repetition, default 20] [repetitions, default 3]
"""

import importlib.machinery
import importlib.util
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
STANDIN = ROOT / "deploy-maven-plugin/src/test/quantum-cli/quantum-cli"
LOOKS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
REPS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
STACK = "qsbench-%d" % os.getpid()


def load_standin():
    loader = importlib.machinery.SourceFileLoader("standin", str(STANDIN))
    spec = importlib.util.spec_from_loader("standin", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def stack_file(image):
    return """version: "3.8"
services:
  a:
    image: %s
    command: ["sleep", "3600"]
    networks: [hostnet]
  b:
    image: %s
    command: ["sleep", "3600"]
    networks: [hostnet]
networks:
  hostnet:
    external: true
    name: host
""" % (image, image)


def measure(standin, look):
    walls, cpus = [], []
    for _ in range(REPS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        own, wall = time.process_time(), time.time()
        for _ in range(LOOKS):
            look()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        children = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        walls.append((time.time() - wall) / LOOKS)
        cpus.append((time.process_time() - own + children) / LOOKS)
    return statistics.median(walls), statistics.median(cpus)


def main():
    image = os.environ.get("DEPLOYER_TEST_REDIS_IMAGE")
    if not image:
        sys.exit("bench: run `. /var/lib/deployer-ci/env.sh` first (DEPLOYER_TEST_REDIS_IMAGE is not set)")
    standin = load_standin()
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as file:
        file.write(stack_file(image))
        file.flush()
        subprocess.run(["docker", "stack", "deploy", "-c", file.name, STACK], check=True, capture_output=True)
    try:
        deadline = time.time() + 120
        while len(standin.tasks_of([s["ID"] for s in standin.stack_services(STACK)])) < 2:
            if time.time() > deadline:
                sys.exit("bench: the stack's tasks did not appear within 120 s")
            time.sleep(0.5)

        def look():
            standin.tasks_of([service["ID"] for service in standin.stack_services(STACK)])

        results = {}
        for path, context in (("Engine API socket", None), ("docker CLI", "default")):
            if context:
                os.environ["DOCKER_CONTEXT"] = context
            else:
                os.environ.pop("DOCKER_CONTEXT", None)
            results[path] = measure(standin, look)
        print("one --wait look at a stack of 2 services (median of %d x %d looks)" % (REPS, LOOKS))
        print("| read through | wall per look | CPU per look |")
        print("|---|---|---|")
        for path, (wall, cpu) in results.items():
            print("| %s | %.1f ms | %.1f ms |" % (path, wall * 1000, cpu * 1000))
        print("load average now: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    finally:
        subprocess.run(["docker", "stack", "rm", STACK], capture_output=True)


if __name__ == "__main__":
    main()
