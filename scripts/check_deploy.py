"""The deploy checks (scripts/check-deploy). Each prints what it checked; the first failure stops with a
non-zero exit."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import promql_parser
import yaml

VENV = sys.argv[1]
BIN = os.path.join(VENV, "bin")
CUSTOM = {  # custom resources kubernetes-validate has no schema for, and the schema of ours that checks them
    ("keda.sh/v1alpha1", "ScaledObject"): "deploy/schemas/keda-scaledobject.schema.json",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): "deploy/schemas/keda-triggerauthentication.schema.json",
    ("monitoring.coreos.com/v1", "PodMonitor"): "deploy/schemas/podmonitor.schema.json",
}


def run(args, **kw):
    result = subprocess.run(args, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(args)}\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


def hadolint():
    run([os.path.join(BIN, "hadolint"), "deploy/Dockerfile"])
    print("hadolint: deploy/Dockerfile clean", flush=True)


def build_context():
    """Copies exactly what the build stage's COPY lines bring and loads the package there.

    `swift package describe` resolves the dependencies and checks that every target the manifest names has
    its folder in the context (the failure a too-narrow COPY causes), without compiling: the sources
    themselves are compiled by the test build, and a second full build here (SwiftNIO, Hummingbird) would
    cost minutes of the test command's budget."""
    lines = open("deploy/Dockerfile").read().splitlines()
    stage, stages = [], 0
    for line in lines:
        if line.startswith("FROM "):
            stages += 1
            if stages == 2:
                break
        stage.append(line)
    copies = [l.split()[1:] for l in stage if l.startswith("COPY ") and "--from" not in l]
    with tempfile.TemporaryDirectory() as context:
        for args in copies:
            *sources, _ = args
            for source in sources:
                target = os.path.join(context, source)
                if os.path.isdir(source):
                    shutil.copytree(source, target)
                else:
                    shutil.copy(source, target)
        described = subprocess.run(
            ["swift", "package", "--scratch-path", os.path.join(context, ".build"), "describe", "--type", "json"],
            cwd=context, check=True, capture_output=True, text=True).stdout
        # Resolution progress may precede the JSON on some SwiftPM versions.
        targets = {t["name"]: t["path"] for t in json.loads(described[described.index("\n{") + 1 if not described.startswith("{") else 0:])["targets"]}
        missing = [name for name, path in targets.items() if not os.path.isdir(os.path.join(context, path))]
        if missing or "weighstream" not in targets:
            sys.exit(f"docker build context lacks targets {missing}")
    print(f"docker build context ({', '.join(s for a in copies for s in a[:-1])}): the package loads with all "
          f"{len(targets)} targets (swift package describe)")


def documents(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def kubernetes():
    manifests = sorted(os.path.join("deploy/kubernetes", f) for f in os.listdir("deploy/kubernetes") if f.endswith(".yaml"))
    out = run([os.path.join(BIN, "kubernetes-validate"), *manifests])
    passed = out.count(" passed for resource ")
    custom = 0
    for path in manifests:
        for doc in documents(path):
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key in CUSTOM:
                with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                    json.dump(doc, f)
                run([os.path.join(BIN, "check-jsonschema"), "--schemafile", CUSTOM[key], f.name])
                # The schema is not vacuous: a misspelt field of the same object is refused.
                broken = dict(doc, spec=dict(doc["spec"], **{"misspeltField": 1}))
                with open(f.name, "w") as g:
                    json.dump(broken, g)
                refused = subprocess.run([os.path.join(BIN, "check-jsonschema"), "--schemafile", CUSTOM[key], f.name], capture_output=True)
                os.unlink(f.name)
                if refused.returncode == 0:
                    sys.exit(f"FAILED: {CUSTOM[key]} accepts a misspelt field")
                custom += 1
            elif f"Couldn't find schema for kind {doc.get('kind')}" in out:
                sys.exit(f"FAILED: no schema checks {doc.get('kind')} in {path}")
    run([os.path.join(BIN, "check-jsonschema"), "--check-metaschema", *CUSTOM.values()])
    print(f"kubernetes-validate: {passed} resources in {len(manifests)} manifests passed; "
          f"check-jsonschema: {custom} custom resources against our schemas (each refuses a misspelt field)")


def promql():
    expressions = []
    for group in yaml.safe_load(open("deploy/prometheus/alerts.yml"))["groups"]:
        expressions += [rule["expr"] for rule in group["rules"]]
    dashboard = json.load(open("deploy/grafana/weighstream-dashboard.json"))
    for panel in dashboard.get("panels", []):
        expressions += [t["expr"] for t in panel.get("targets", []) if "expr" in t]
    for expr in expressions:
        # Grafana's $__rate_interval and template variables are not PromQL: give them PromQL values.
        text = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m")
        text = re.sub(r"\$(\w+)", r"\1", text)
        try:
            promql_parser.parse(text)
        except Exception as error:  # the parser raises its own error types
            sys.exit(f"FAILED: PromQL does not parse: {expr}: {error}")
    print(f"promql-parser: {len(expressions)} expressions of the alert rules and the dashboard parse", flush=True)


hadolint()
kubernetes()
promql()
build_context()
