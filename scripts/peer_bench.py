"""The peer bench (scripts/peer-bench): on one Tansu broker, the weigh-only input that `weighstream bench`
preloads is read, in one run, by weighstream's pipeline and a bare librdkafka consumer (inside `bench`), then by
a bare Python consumer (confluent-kafka) and by a one-rule quixstreams app (OVER_LIMIT only). Each is timed
from its first record to its last, with its own process CPU over that span.

    peer_bench.py TOOLS_VENV WEIGHSTREAM_BINARY [--records N] [--partitions P] [--shards K] [--json FILE]
    peer_bench.py bare|quix BROKERS TOPIC COUNT        (one peer, in a process of its own; prints JSON)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

# Gross-weight limits (kg) by axles and vehicle, the contract's defaults: one rule is enough for a peer.
LIMITS = {2: (18000, 18000), 3: (25000, 27000), 4: (31000, 36000), 5: (43000, 43000)}


def limit_kg(record):
    axles = record["axles"]
    if axles >= 6:
        return 46000 if record["vehicle"] == "combination" and record.get("single_drive_axle") else 49000
    truck, combination = LIMITS[axles]
    return combination if record["vehicle"] == "combination" else truck


class Span:
    """Wall and process CPU time from the first record to the last."""

    def __init__(self, count):
        self.count, self.seen = count, 0
        self.first_wall = self.first_cpu = None

    def tick(self, n=1):
        if self.first_wall is None:
            self.first_wall, self.first_cpu = time.perf_counter(), time.process_time()
        self.seen += n
        return self.seen >= self.count

    def result(self):
        wall, cpu = time.perf_counter() - self.first_wall, time.process_time() - self.first_cpu
        return {"records": self.seen, "records_per_s": round(self.seen / wall), "cpu_us_per_record": round(cpu * 1e6 / self.seen, 2)}


def bare(brokers, topic, count):
    """A plain confluent-kafka consumer in batches, touching each value: the Python floor."""
    import confluent_kafka
    consumer = confluent_kafka.Consumer({"bootstrap.servers": brokers, "group.id": f"peer-bare-{uuid.uuid4()}",
                                         "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    span, checksum, deadline = Span(count), 0, time.time() + 300
    done = False
    while not done and time.time() < deadline:
        batch = consumer.consume(num_messages=5000, timeout=0.1)
        for message in batch:
            if message.error() is None:
                checksum += len(message.value())
                done = span.tick()
    result = span.result()
    consumer.close()
    assert checksum > 0 and done, f"bare Python consumer read {span.seen} of {count}"
    return result


def quix(brokers, topic, count):
    """A quixstreams app with one rule: decode the JSON, raise OVER_LIMIT, produce it."""
    from quixstreams import Application
    span = Span(count)

    def undecodable(error, message, logger):
        # The simulator mixes in malformed records (weighstream dead-letters them): skipped, and counted as read.
        if message is not None and span.tick():
            app.stop()
        return True

    app = Application(broker_address=brokers, consumer_group=f"peer-quix-{uuid.uuid4()}", auto_offset_reset="earliest",
                      loglevel="WARNING", on_consumer_error=undecodable)
    source = app.topic(topic, value_deserializer="json")
    alarms = app.topic(f"{topic}-quix-alarms", value_serializer="json")

    def over_limit(record):
        alarm = None
        try:
            if record.get("type") == "weigh":
                limit = limit_kg(record)
                if record["gross_kg"] > limit:
                    alarm = {"type": "OVER_LIMIT", "site": record["site"], "lane": record["lane"], "plate": record["plate"],
                             "event_ts": record["ts"], "details": {"gross_kg": record["gross_kg"], "limit_kg": limit}}
        except (KeyError, TypeError, AttributeError):
            pass  # a bad record (a required field missing or of the wrong type, impossible axles): no alarm
        if span.tick():
            app.stop()
        return alarm

    app.dataframe(source).apply(over_limit).filter(lambda alarm: alarm is not None).to_topic(alarms)
    app.run()
    assert span.seen >= count, f"quixstreams app read {span.seen} of {count}"
    return span.result()


def orchestrate(args):
    import tansu
    libdir = tansu.librdkafka_dir(args.tools_venv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEIGHSTREAM_")}
    env["LD_LIBRARY_PATH"] = libdir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
    workdir = tempfile.mkdtemp(prefix="ws-peers-")
    broker = tansu.Broker(args.tools_venv, workdir)
    try:
        report = os.path.join(workdir, "bench.json")
        print(f"Tansu at {broker.brokers}; weighstream bench --parts weighs ({args.records} weigh records)…", file=sys.stderr)
        subprocess.run([os.path.abspath(args.binary), "bench", "--brokers", broker.brokers, "--parts", "weighs",
                        "--weigh-records", str(args.records), "--partitions", str(args.partitions), "--shards", str(args.shards),
                        "--json", report], env=env, check=True, stdout=subprocess.DEVNULL)
        weighs = json.load(open(report))["weigh_only"]
        rows = {"weighstream pipeline": {"records_per_s": weighs["pipeline_records_per_s"],
                                         "cpu_us_per_record": weighs["cpu_us_per_record"]["pipeline"]},
                "bare librdkafka consumer (C, in bench)": {"records_per_s": weighs["bare_records_per_s"],
                                                           "cpu_us_per_record": weighs["cpu_us_per_record"]["bare"]}}
        # The Kafka I/O of the pipeline's outputs alone (bench's I/O floor): what any processor writing this
        # contract's alarms, aggregates, site status and snapshots spends before it decodes or detects anything.
        floor = weighs.get("io_floor")
        if floor:
            per = floor["pipeline_outputs"] / weighs["records"]
            rows[f"I/O floor ({per:.2f} outputs per record)"] = {
                "records_per_s": floor["records_per_s"], "cpu_us_per_record": floor["cpu_us_per_record"]}
        for peer, label in (("bare", "bare Python consumer"), ("quix", "quixstreams app, OVER_LIMIT only")):
            print(f"{label}…", file=sys.stderr)
            run = subprocess.run([sys.executable, __file__, peer, broker.brokers, weighs["topic"], str(weighs["records"])],
                                 capture_output=True, text=True, timeout=600)
            if run.returncode != 0:
                sys.exit(f"FAILED peer bench: the {label} exited {run.returncode}: {run.stderr[-3000:]}")
            rows[label] = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        broker.stop()
    ours = rows["weighstream pipeline"]["records_per_s"]
    print(f"peer bench: {weighs['records']} weigh records, {args.partitions} partitions, one Tansu broker, one run "
          f"(weighstream {weighs['shards']} shards, librdkafka 2.16)")
    print(f"  {'':42} {'records/s':>10} {'CPU µs/record':>14} {'weighstream is':>15}")
    for label, row in rows.items():
        times = "" if label == "weighstream pipeline" else f"{ours / max(1, row['records_per_s']):.2f}x"
        print(f"  {label:42} {row['records_per_s']:>10} {row['cpu_us_per_record']:>14} {times:>15}")
    if args.json:
        json.dump({"records": weighs["records"], "partitions": args.partitions, "shards": weighs["shards"], "rows": rows},
                  open(args.json, "w"), indent=2, sort_keys=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("bare", "quix"):
        peer, brokers, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        print(json.dumps((bare if peer == "bare" else quix)(brokers, topic, count)))
        return
    parser = argparse.ArgumentParser(description="weighstream against Python peers on the same weigh-only data")
    parser.add_argument("tools_venv")
    parser.add_argument("binary")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--json")
    orchestrate(parser.parse_args())


if __name__ == "__main__":
    main()
