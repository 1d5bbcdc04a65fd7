#!/usr/bin/env python3
"""run.py: rvalid's S3 tests, against real servers on 127.0.0.1 (`make check-s3`).

1. A signature-checking S3 server: @20minutes/s3rver 4.0.4, installed with npm into
   build/s3rver when missing, started with node on a free port (key and secret S3RVER,
   path style) and stopped by its PID at the end, also on failure or a signal.
2. The suite's own servers (servers.py): a fault server (dropped connections, 503, slow
   answers, changed ETags, failing and interrupted multipart uploads, a bucket in another
   region) and fake IMDSv2, container-credential and STS endpoints.
3. TLS: the fault server again behind a self-signed certificate (--ca-bundle,
   AWS_CA_BUNDLE), directly and through an HTTPS_PROXY tunnel (and NO_PROXY).

Each case runs the real rvalid binary and checks its exit status, its one-line errors,
what the servers saw, and that no secret shows up in any output.

usage: run.py --rvalid build/rvalid [-k SUBSTRING] [-v]"""
import argparse
import atexit
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import awsig  # noqa: E402
import servers  # noqa: E402

S3RVER_VERSION = "4.0.4"
DATA = os.path.join(HERE, "data")
CASES = []
SECRETS = set()  # every secret and token the tests know: none may be printed


def case(fn):
    CASES.append(fn)
    return fn


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


# ---- environment ----

class Env:
    """What the cases share: the servers, a scratch folder, the binary."""

    def __init__(self, rvalid, tmp):
        self.rvalid = rvalid
        self.tmp = tmp
        self.home = os.path.join(tmp, "home")
        os.makedirs(self.home)
        self.s3rver = None
        self.fault = None
        self.meta = None
        self.tls = None
        self.proxy = None
        self.sanitized = False
        self.note = ""

    def base_env(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and k.lower() not in ("http_proxy", "https_proxy", "no_proxy", "all_proxy")
               and not k.startswith("RVALID_")}
        env["HOME"] = self.home
        env["AWS_EC2_METADATA_DISABLED"] = "true"
        # a sanitizer report must not pass for "the data failed" (exit 1)
        for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
            env[var] = "exitcode=86:" + os.environ.get(var, "")
        env.update({k: v for k, v in extra.items() if v is not None})
        for k in [k for k, v in extra.items() if v is None]:
            env.pop(k, None)
        return env

    def secrets(self):
        """Every secret known so far: the tests' own, and all the servers handed out."""
        s = set(SECRETS) | set(self.fault.secrets.values())
        for c in self.meta.issued:
            s.update((c["SecretAccessKey"], c["SessionToken"]))
        return s

    def run(self, args, env=None, expect=None, timeout=60, stdin=None):
        """Runs rvalid; returns (exit status, stdout, stderr). Fails the case when a known
        secret appears in either stream."""
        p = subprocess.run([self.rvalid] + args, env=env or self.base_env(), capture_output=True,
                           timeout=timeout, input=stdin)
        out, err = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        check(not re.search(r"Sanitizer|runtime error:", err), "a sanitizer report:\n" + err[-4000:])
        for s in self.secrets():
            check(s not in out and s not in err, "a secret was printed: %r" % s[:6])
        if expect is not None:
            check(p.returncode == expect, "exit %d, expected %d\nstdout: %s\nstderr: %s" % (
                p.returncode, expect, out[-2000:], err[-2000:]))
        return p.returncode, out, err


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- s3rver: install, start, stop ----

def ensure_s3rver(build):
    prefix = os.path.join(build, "s3rver")
    pkg = os.path.join(prefix, "node_modules", "@20minutes", "s3rver", "package.json")
    try:
        with open(pkg) as f:
            if json.load(f).get("version") == S3RVER_VERSION:
                return prefix
    except (OSError, ValueError):
        pass
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            raise SystemExit("s3: %s is needed to run the S3 tests (apt-get install nodejs npm)" % tool)
    print("s3: installing @20minutes/s3rver@%s into %s" % (S3RVER_VERSION, prefix), flush=True)
    os.makedirs(prefix, exist_ok=True)
    r = subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--silent",
                        "--no-save", "@20minutes/s3rver@" + S3RVER_VERSION],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise SystemExit("s3: npm install failed:\n" + r.stderr[-3000:])
    return prefix


class S3rver:
    def __init__(self, prefix, tmp):
        self.port = free_port()
        self.dir = os.path.join(tmp, "s3rver-data")
        env = dict(os.environ, NODE_PATH=os.path.join(prefix, "node_modules"))
        self.proc = subprocess.Popen(["node", os.path.join(HERE, "s3rver.js"), str(self.port), self.dir, "b", "other"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.url = "http://127.0.0.1:%d" % self.port
        line = b""
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith(b"ready") or not line:
                break
        if not line.startswith(b"ready"):
            self.stop()
            raise SystemExit("s3: s3rver did not start: " + self.proc.stderr.read().decode()[-2000:])
        self.client = awsig.Client(self.url, "S3RVER", "S3RVER")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None


# ---- TLS and a CONNECT proxy ----

def test_cert():
    """The TLS server's key and self-signed certificate for 127.0.0.1 (valid until 2126),
    kept in data/ so the tests need no openssl command."""
    return os.path.join(DATA, "tls-key.pem"), os.path.join(DATA, "tls-cert.pem")


class TlsFault(servers.FaultS3):
    """The fault server's logic behind TLS, sharing the plain one's objects and log."""

    def __init__(self, plain, key, crt):
        super().__init__()
        self.objects, self.log, self.lock, self.secrets = plain.objects, plain.log, plain.lock, plain.secrets
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        self.socket = ctx.wrap_socket(self.socket, server_side=True)
        self.url = "https://127.0.0.1:%d" % self.port


class Proxy(threading.Thread):
    """A CONNECT-only forward proxy that records the tunnels it opens."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.tunnels = []
        self.start()

    def run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        head = b""
        while b"\r\n\r\n" not in head:
            d = c.recv(4096)
            if not d:
                c.close()
                return
            head += d
        line = head.split(b"\r\n", 1)[0].decode()
        method, target = line.split()[:2]
        if method != "CONNECT":
            c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            c.close()
            return
        self.tunnels.append(target)
        host, port = target.rsplit(":", 1)
        u = socket.create_connection((host, int(port)))
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pump(a, b):
            try:
                while True:
                    d = a.recv(65536)
                    if not d:
                        break
                    b.sendall(d)
            except OSError:
                pass
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        t = threading.Thread(target=pump, args=(u, c), daemon=True)
        t.start()
        pump(c, u)
        t.join()
        c.close()
        u.close()

    def stop(self):
        self.sock.close()


# ---- data ----

def read(path):
    with open(path, "rb") as f:
        return f.read()


def make_orders(n, seed, bad_every=97, pad=0):
    """A CSV of n orders, every bad_every-th one failing a check."""
    rnd = random.Random(seed)
    out = ["order_id,email,amount,country,note\n"]
    for i in range(1, n + 1):
        amount = "%d.%02d" % (rnd.randint(0, 4000), rnd.randint(0, 99))
        country = rnd.choice(["NO", "SE", "DE", "FR", "GB"])
        note = "x" * (pad + rnd.randint(0, 10))
        if i % bad_every == 0:
            amount = "-1"
        out.append("%d,user%d@example.com,%s,%s,%s\n" % (i, i, amount, country, note[:40]))
    return "".join(out).encode()


def normalise_report(d, names):
    """The report without what differs between two runs of the same data: timing, threads,
    and the names of the rule file and inputs (local paths against s3:// ones)."""
    d = json.loads(json.dumps(d))
    for k in ("started_at", "duration_s", "threads"):
        d.pop(k, None)
    d["rules_file"] = "RULES"
    d["inputs"] = ["INPUT%d" % i for i, _ in enumerate(d["inputs"])]
    text = json.dumps(d, sort_keys=True)
    for a, b in sorted(names, key=lambda n: -len(n[0])):  # "x.csv.gz" before "x.csv"
        text = text.replace(json.dumps(a)[1:-1], b)
    return text


# ---- the cases: s3rver, which checks signatures ----

def s3rver_env(env, **extra):
    return env.base_env(AWS_ACCESS_KEY_ID="S3RVER", AWS_SECRET_ACCESS_KEY="S3RVER", **extra)


@case
def s3rver_round_trip(env):
    """rules, referenced file and data in S3; report, --errors and quarantine files to S3;
    the report equals a local run's apart from timing and names."""
    c = env.s3rver.client
    for name in ("rules.yaml", "countries.csv", "data.csv"):
        c.put("b", "cases/" + name, read(os.path.join(DATA, name)))
    loc = os.path.join(env.tmp, "rt")
    os.makedirs(loc)
    st, _, _ = env.run(["validate", "-q", "-r", os.path.join(DATA, "rules.yaml"), os.path.join(DATA, "data.csv"),
                        "-o", loc + "/r.json", "-o", loc + "/r.txt", "--errors", loc + "/e.ndjson",
                        "--invalid-rows", loc + "/bad.csv", "--valid-rows", loc + "/good.csv"])
    check(st == 1, "the local run should fail the data (exit 1), got %d" % st)
    st, out, err = env.run(["validate", "-q", "--endpoint-url", env.s3rver.url,
                            "-r", "s3://b/cases/rules.yaml", "s3://b/cases/data.csv",
                            "-o", "s3://b/out/r.json", "-o", "s3://b/out/r.txt", "--errors", "s3://b/out/e.ndjson",
                            "--invalid-rows", "s3://b/out/bad.csv", "--valid-rows", "s3://b/out/good.csv"],
                           env=s3rver_env(env), expect=1)
    check(err == "", "stderr should be empty: " + err)
    names = [(os.path.join(DATA, "data.csv"), "INPUT"), ("s3://b/cases/data.csv", "INPUT"),
             (os.path.join(DATA, "rules.yaml"), "RULES"), ("s3://b/cases/rules.yaml", "RULES")]
    got = {}
    for name in ("r.json", "r.txt", "e.ndjson", "bad.csv", "good.csv"):
        s, body = c.get("b", "out/" + name)
        check(s == 200, "out/%s: GET %d" % (name, s))
        got[name] = body
    check(normalise_report(json.loads(got["r.json"]), names) == normalise_report(json.loads(read(loc + "/r.json")), names),
          "the S3 report differs from the local one")
    for name in ("bad.csv", "good.csv"):
        check(got[name] == read(loc + "/" + name), name + " differs from the local run's")
    local_nd = read(loc + "/e.ndjson").decode().replace(os.path.join(DATA, "data.csv"), "INPUT")
    check(got["e.ndjson"].decode().replace("s3://b/cases/data.csv", "INPUT") == local_nd,
          "--errors differs from the local run's")
    local_txt = read(loc + "/r.txt").decode().replace(os.path.join(DATA, "rules.yaml"), "RULES")
    check(got["r.txt"].decode().replace("s3://b/cases/rules.yaml", "RULES") == local_txt,
          "the text report differs from the local run's")
    # a local rule file may reference a column in S3
    rules = read(os.path.join(DATA, "rules.yaml")).decode().replace("file: countries.csv", "file: s3://b/cases/countries.csv")
    check("s3://b/cases/countries.csv" in rules, "the rules should name the S3 reference")
    with open(os.path.join(loc, "s3ref.yaml"), "w") as f:
        f.write(rules)
    _, out, _ = env.run(["validate", "--endpoint-url", env.s3rver.url, "-r", os.path.join(loc, "s3ref.yaml"),
                         os.path.join(DATA, "data.csv"), "-f", "json"], env=s3rver_env(env), expect=1)
    refs = [c for c in json.loads(out)["checks"] if c["id"] == "country.references"][0]
    check(refs["failed"] == 1 and refs["samples"][0]["value"] == "FI", "references to S3: %r" % refs)
    # rvalid check reads an s3:// rule file too (settings from the environment)
    env.run(["check", "s3://b/cases/rules.yaml"], env=s3rver_env(env, AWS_ENDPOINT_URL=env.s3rver.url), expect=0)


@case
def s3rver_big_object_and_multipart(env):
    """A multi-MiB object (plain and gzip) streams in; a --valid-rows output over 8 MiB goes
    up as a multipart upload; both equal the local run's."""
    c = env.s3rver.client
    big = make_orders(150000, 1, pad=30)
    check(len(big) > 9 << 20, "the big input should be over 9 MiB (%d)" % len(big))
    path = os.path.join(env.tmp, "big.csv")
    with open(path, "wb") as f:
        f.write(big)
    c.put("b", "big/orders.csv", big)
    c.put("b", "big/orders.csv.gz", gzip.compress(big, 1))
    c.put("b", "big/countries.csv", read(os.path.join(DATA, "countries.csv")))
    c.put("b", "big/rules.yaml", read(os.path.join(DATA, "rules.yaml")))
    loc = os.path.join(env.tmp, "big")
    os.makedirs(loc)
    env.run(["validate", "-q", "-r", os.path.join(DATA, "rules.yaml"), path, "-o", loc + "/r.json",
             "--valid-rows", loc + "/valid.csv"], expect=1)
    st, out, err = env.run(["validate", "-q", "-v", "--endpoint-url", env.s3rver.url, "-r", "s3://b/big/rules.yaml",
                            "s3://b/big/orders.csv", "-o", "s3://b/big/r.json", "--valid-rows", "s3://b/big/valid.csv"],
                           env=s3rver_env(env), expect=1)
    check("multipart upload of s3://b/big/valid.csv completed: 2 parts" in err,
          "--valid-rows over 8 MiB should be a 2-part multipart upload:\n" + err[-1500:])
    names = [(path, "INPUT"), ("s3://b/big/orders.csv", "INPUT")]
    s, body = c.get("b", "big/r.json")
    check(s == 200 and normalise_report(json.loads(body), names) == normalise_report(json.loads(read(loc + "/r.json")), names),
          "the big object's report differs from the local run's")
    s, body = c.get("b", "big/valid.csv")
    check(s == 200 and body == read(loc + "/valid.csv") and len(body) > 8 << 20,
          "the multipart --valid-rows differs from the local one (%d bytes)" % len(body))
    # gzip by magic bytes, streamed
    st, out, _ = env.run(["validate", "--endpoint-url", env.s3rver.url, "-r", "s3://b/big/rules.yaml",
                          "s3://b/big/orders.csv.gz", "-f", "json"], env=s3rver_env(env), expect=1)
    names.append(("s3://b/big/orders.csv.gz", "INPUT"))
    check(normalise_report(json.loads(out), names) == normalise_report(json.loads(read(loc + "/r.json")), names),
          "the gzip object's report differs")


@case
def s3rver_key_with_spaces_and_unicode(env):
    """Keys are encoded once, byte for byte: spaces, non-ASCII, '+', '%', '=' and '..'."""
    c = env.s3rver.client
    key = "dir with space/données é+%=ü/../naïve 数据.csv"
    c.put("b", key, read(os.path.join(DATA, "data.csv")))
    c.put("b", "plain rules/rules.yaml", read(os.path.join(DATA, "rules.yaml")))
    c.put("b", "plain rules/countries.csv", read(os.path.join(DATA, "countries.csv")))
    out_key = "résultats/rapport été.json"
    env.run(["validate", "-q", "--endpoint-url", env.s3rver.url, "-r", "s3://b/plain rules/rules.yaml",
             "s3://b/" + key, "-o", "s3://b/" + out_key], env=s3rver_env(env), expect=1)
    s, body = c.get("b", out_key)
    check(s == 200, "the report under a non-ASCII key: GET %d" % s)
    d = json.loads(body)
    check(d["inputs"] == ["s3://b/" + key] and d["rows"]["total"] == 7, "unexpected report: %r" % d["inputs"])


@case
def s3rver_wrong_secret(env):
    """A wrong secret: one clear line, exit 3, the secret never printed (also --verbose)."""
    secret = "wrong-secret-4f7a9c-DO-NOT-PRINT"
    SECRETS.add(secret)
    for extra in ([], ["--verbose"]):
        st, out, err = env.run(["validate", "--endpoint-url", env.s3rver.url, "-r", os.path.join(DATA, "rules.yaml"),
                                "s3://b/cases/data.csv"] + extra,
                               env=env.base_env(AWS_ACCESS_KEY_ID="S3RVER", AWS_SECRET_ACCESS_KEY=secret), expect=3)
        lines = [l for l in err.splitlines() if not l.startswith("rvalid: s3: ")]
        check(lines == ["rvalid: s3://b/cases/data.csv: 403 SignatureDoesNotMatch: The request signature we "
                        "calculated does not match the signature you provided. Check your key and signing method."],
              "unexpected message: %r" % err)
    check("rvalid: s3: " in err, "--verbose should log the requests")


@case
def s3rver_missing_bucket_and_key(env):
    e = s3rver_env(env)
    rules = os.path.join(DATA, "rules.yaml")
    _, _, err = env.run(["validate", "--endpoint-url", env.s3rver.url, "-r", rules, "s3://nosuchbucket/x.csv"], env=e, expect=3)
    check(err == "rvalid: s3://nosuchbucket/x.csv: 404 NoSuchBucket: The specified bucket does not exist\n", "got %r" % err)
    _, _, err = env.run(["validate", "--endpoint-url", env.s3rver.url, "-r", rules, "s3://b/no/such key.csv"], env=e, expect=3)
    check(err == "rvalid: s3://b/no/such key.csv: 404 NoSuchKey: The specified key does not exist.\n", "got %r" % err)
    _, _, err = env.run(["validate", "--endpoint-url", env.s3rver.url, "-r", "s3://b/missing.yaml", "x.csv"], env=e, expect=3)
    check(err == "rvalid: s3://b/missing.yaml: 404 NoSuchKey: The specified key does not exist.\n", "got %r" % err)
    # an output to a bucket that does not exist: exit 3, and nothing else written
    _, _, err = env.run(["validate", "-q", "--endpoint-url", env.s3rver.url, "-r", rules, os.path.join(DATA, "data.csv"),
                         "-o", "s3://nosuchbucket/r.json"], env=e, expect=3)
    check(err == "rvalid: s3://nosuchbucket/r.json: 404 NoSuchBucket: The specified bucket does not exist\n", "got %r" % err)
    _, _, err = env.run(["validate", "--endpoint-url", env.s3rver.url, "-r", rules, "s3://b"], env=e, expect=3)
    check(err == "rvalid: s3://b: no object key (use s3://BUCKET/KEY)\n", "got %r" % err)


# ---- the cases: the fault server ----

def fault_env(env, **extra):
    return env.base_env(AWS_ACCESS_KEY_ID="AKIDFAULT", AWS_SECRET_ACCESS_KEY="fault-secret-0000", **extra)


def fault_seed(env, key, data):
    env.fault.objects[key] = data


def fault_validate(env, key, extra=(), e=None, expect=None, rules=None):
    args = ["validate", "-q", "--endpoint-url", env.fault.url, "-r", rules or os.path.join(DATA, "rules.yaml"),
            "s3://b/" + key, "-f", "json"] + list(extra)
    return env.run(args, env=e or fault_env(env), expect=expect)


def local_report(env, data):
    path = os.path.join(env.tmp, "local-%s.csv" % hashlib.sha1(data).hexdigest()[:10])
    with open(path, "wb") as f:
        f.write(data)
    _, out, _ = env.run(["validate", "-r", os.path.join(DATA, "rules.yaml"), path, "-f", "json"])
    return normalise_report(json.loads(out), [(path, "INPUT")])


@case
def fault_dropped_connection_resumes(env):
    """The connection drops mid-body: the rest comes with Range + If-Match, same result."""
    data = make_orders(20000, 2)
    fault_seed(env, "drop/orders.csv", data)
    _, out, _ = fault_validate(env, "drop/orders.csv", expect=1)
    check(normalise_report(json.loads(out), [("s3://b/drop/orders.csv", "INPUT")]) == local_report(env, data),
          "the resumed download gives another report")
    gets = env.fault.requests("drop/orders.csv", "GET")
    check(len(gets) == 2, "expected 2 GETs, got %d" % len(gets))
    check(gets[0]["range"] is None and gets[1]["if_match"] == '"e1"' and
          re.fullmatch(r"bytes=\d+-", gets[1]["range"] or "") and int(gets[1]["range"][6:-1]) > 0,
          "the resume should ask Range: bytes=N- with If-Match \"e1\": %r" % gets[1])


@case
def fault_changed_etag_is_an_error(env):
    """The object changes between the first GET and the resume: an error, not a mix."""
    data = make_orders(20000, 3)
    for mode in ("etagchange", "etagignore"):
        key = mode + "/orders.csv"
        fault_seed(env, key, data)
        out_path = os.path.join(env.tmp, mode + ".json")
        _, out, err = env.run(["validate", "-q", "--endpoint-url", env.fault.url, "-r", os.path.join(DATA, "rules.yaml"),
                               "s3://b/" + key, "-o", out_path], env=fault_env(env), expect=3)
        check(err.startswith("rvalid: s3://b/%s: the object changed while it was read" % key) and err.count("\n") == 1,
              "unexpected message: %r" % err)
        check(not os.path.exists(out_path), "no report may be written")


@case
def fault_503_and_429_then_200_are_retried(env):
    data = make_orders(500, 4)
    for mode in ("flaky", "throttled"):
        key = mode + "/orders.csv"
        fault_seed(env, key, data)
        _, out, _ = fault_validate(env, key, expect=1)
        check(len(env.fault.requests(key, "GET")) == 2, "the %s answer should be retried once" % mode)
        check(normalise_report(json.loads(out), [("s3://" + "b/" + key, "INPUT")]) == local_report(env, data),
              "the report differs")


@case
def fault_refused_connection_is_retried(env):
    """Nothing listens: connection errors are retried too, then one line, exit 3."""
    dead = "http://127.0.0.1:%d" % free_port()
    t0 = time.time()
    _, _, err = env.run(["validate", "--retries", "2", "-r", os.path.join(DATA, "rules.yaml"), "s3://b/x.csv"],
                        env=fault_env(env, AWS_ENDPOINT_URL_S3=dead), expect=3)
    check(re.fullmatch(r"rvalid: s3://b/x\.csv: .*[Cc]onnect.* \(gave up after 3 attempts\)\n", err), "got %r" % err)
    check(time.time() - t0 < 3, "the backoff should stay short for 2 retries")


@case
def fault_retries_give_up(env):
    """Always 503: --retries 2 means three attempts, then exit 3 with one line."""
    fault_seed(env, "always503/x.csv", b"a\n1\n")
    _, _, err = fault_validate(env, "always503/x.csv", ["--retries", "2"], expect=3)
    check(err == "rvalid: s3://b/always503/x.csv: 503 SlowDown: Please reduce your request rate. "
                 "(gave up after 3 attempts)\n", "got %r" % err)
    check(len(env.fault.requests("always503/x.csv", "GET")) == 3, "expected 3 attempts")


@case
def fault_403_is_not_retried(env):
    fault_seed(env, "denied/x.csv", b"a\n1\n")
    _, _, err = fault_validate(env, "denied/x.csv", expect=3)
    check(err == "rvalid: s3://b/denied/x.csv: 403 AccessDenied: Access Denied\n", "got %r" % err)
    check(len(env.fault.requests("denied/x.csv", "GET")) == 1, "a 403 must not be retried")


@case
def fault_slow_answer_times_out_and_retries(env):
    """No byte for RVALID_S3_READ_TIMEOUT seconds: the request is given up and retried."""
    data = make_orders(300, 5)
    fault_seed(env, "slow/orders.csv", data)
    t0 = time.time()
    _, out, _ = fault_validate(env, "slow/orders.csv", e=fault_env(env, RVALID_S3_READ_TIMEOUT="1"), expect=1)
    took = time.time() - t0
    check(len(env.fault.requests("slow/orders.csv", "GET")) == 2, "the slow answer should be retried")
    check(took < env.fault.slow_seconds, "the run waited for the slow answer (%.1f s)" % took)
    fault_seed(env, "slow/again.csv", data)
    _, _, err = fault_validate(env, "slow/again.csv", ["--retries", "0"], e=fault_env(env, RVALID_S3_READ_TIMEOUT="1"),
                               expect=3)
    check(err.startswith("rvalid: s3://b/slow/again.csv: timed out") and err.count("\n") == 1, "got %r" % err)


@case
def fault_bucket_in_another_region(env):
    """A 301 with x-amz-bucket-region: followed, and the request signed for that region."""
    fault_seed(env, "region/orders.csv", make_orders(100, 6))
    fault_validate(env, "region/orders.csv", ["--region", "us-east-1"], expect=1)
    gets = env.fault.requests("region/orders.csv", "GET")
    check([g["region"] for g in gets] == ["us-east-1", "eu-west-1"], "regions: %r" % [g["region"] for g in gets])


@case
def fault_large_object_memory_stays_flat(env):
    """A large object streams through: the peak RSS stays far below its size."""
    # 1 GiB as the issue asks; under ASan (whose quarantine keeps freed memory, so RSS says
    # nothing about rvalid) a smaller object, and only the streaming is checked
    mib = 64 if env.sanitized else 1024
    out_path, err_path = os.path.join(env.tmp, "flat.json"), os.path.join(env.tmp, "flat.err")
    with open(out_path, "wb") as out_f, open(err_path, "wb") as err_f:
        p = subprocess.Popen([env.rvalid, "validate", "-q", "-j", "2", "--endpoint-url", env.fault.url,
                              "-r", os.path.join(DATA, "flat.yaml"), "s3://b/gen/%d.csv" % mib, "-f", "json"],
                             env=fault_env(env), stdout=out_f, stderr=err_f)
        # VmHWM is the peak of rvalid's own memory (getrusage would count the forking
        # harness's too): read it until the process is gone
        rss = 0
        while p.poll() is None:
            try:
                with open("/proc/%d/status" % p.pid) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            rss = max(rss, int(line.split()[1]) / 1024)
            except OSError:
                pass
            time.sleep(0.02)
    err = read(err_path).decode()
    check(p.returncode == 0, "exit %d: %s" % (p.returncode, err[-2000:]))
    check(not re.search(r"Sanitizer|runtime error:", err), "a sanitizer report:\n" + err[-4000:])
    d = json.loads(read(out_path))
    check(d["rows"]["total"] == env.fault.generated_rows, "rows: %r" % d["rows"])
    check(rss > 0, "could not read rvalid's memory")
    check(env.sanitized or rss < 48, "peak RSS %.0f MiB for a %d MiB object (limit 48 MiB)" % (rss, mib))
    env.note = "%d MiB object, peak RSS %.0f MiB" % (mib, rss)


def big_valid(n=140000):
    return make_orders(n, 7, bad_every=10 ** 9, pad=30)


@case
def fault_failed_multipart_is_aborted(env):
    """A part fails (403): the upload is aborted (AbortMultipartUpload), exit 3."""
    path = os.path.join(env.tmp, "valid-big.csv")
    data = big_valid()
    with open(path, "wb") as f:
        f.write(data)
    check(len(data) > 9 << 20, "the input should be over 9 MiB")
    _, _, err = env.run(["validate", "-q", "--endpoint-url", env.fault.url, "-r", os.path.join(DATA, "rules.yaml"), path,
                         "--valid-rows", "s3://b/failpart/valid.csv"], env=fault_env(env), expect=3)
    check(err == "rvalid: s3://b/failpart/valid.csv: uploading part 2: 403 AccessDenied: Access Denied\n", "got %r" % err)
    check(env.fault.aborted.count("failpart/valid.csv") == 1, "the multipart upload should be aborted once")
    check(all("uploadId" not in r["query"] for r in env.fault.requests("failpart/valid.csv", "POST")),
          "the upload must not be completed")
    # a single PUT that keeps failing with 500: retried, then exit 3
    _, _, err = env.run(["validate", "-q", "--endpoint-url", env.fault.url, "--retries", "1", "-r", os.path.join(DATA, "rules.yaml"),
                         os.path.join(DATA, "data.csv"), "-o", "s3://b/failput/r.json"], env=fault_env(env), expect=3)
    check(err.startswith("rvalid: s3://b/failput/r.json: 500 InternalError: We encountered an internal error. Please try again. (gave up after 2 attempts)"),
          "got %r" % err)


@case
def fault_interrupted_multipart_is_aborted(env):
    """SIGINT while a multipart upload is under way: exit 130, the upload aborted."""
    data = big_valid()
    fault_seed(env, "trickle/orders.csv", data)
    env.fault.trickle_after = len(data) - (1 << 20)
    p = subprocess.Popen([env.rvalid, "validate", "-q", "--endpoint-url", env.fault.url, "-r", os.path.join(DATA, "rules.yaml"),
                          "s3://b/trickle/orders.csv", "--valid-rows", "s3://b/int/valid.csv"],
                         env=fault_env(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and not any(r["query"].get("partNumber") == "1" for r in env.fault.requests("int/valid.csv", "PUT")):
        time.sleep(0.05)
    check(time.time() < deadline, "part 1 was never sent")
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    check(b"Sanitizer" not in err, "a sanitizer report:\n" + err.decode()[-4000:])
    check(p.returncode == 130, "exit %d, expected 130: %s" % (p.returncode, err.decode()))
    check(env.fault.aborted.count("int/valid.csv") == 1, "the multipart upload should be aborted")
    check(all("uploadId" not in r["query"] for r in env.fault.requests("int/valid.csv", "POST")),
          "an interrupted upload must not be completed")


# ---- the cases: credentials ----

CREDS_FILES = {"rules.yaml": None, "countries.csv": None, "data.csv": None}


def creds_run(env, e, extra=(), expect=1):
    """A run that makes three S3 requests: GET rules, GET data, PUT the report (the
    referenced countries.csv is a fourth)."""
    for name in CREDS_FILES:
        env.fault.objects["creds/" + name] = read(os.path.join(DATA, name))
    env.fault.reset_log()
    env.fault.objects.pop("creds/r.json", None)
    st, out, err = env.run(["validate", "-q", "--endpoint-url", env.fault.url, "-r", "s3://b/creds/rules.yaml",
                            "s3://b/creds/data.csv", "-o", "s3://b/creds/r.json"] + list(extra), env=e, expect=expect)
    report = env.fault.objects.get("creds/r.json", b"").decode()
    for s in env.secrets():
        check(s not in report, "a secret is in the report")
    return [r for r in env.fault.log], err


def keys_used(log):
    return [r["akid"] for r in log]


@case
def creds_environment(env):
    env.fault.secrets["AKIDENV"] = "env-secret-1111"
    SECRETS.update(["env-secret-1111", "env-session-token-2222"])
    log, _ = creds_run(env, env.base_env(AWS_ACCESS_KEY_ID="AKIDENV", AWS_SECRET_ACCESS_KEY="env-secret-1111",
                                         AWS_SESSION_TOKEN="env-session-token-2222"))
    check(set(keys_used(log)) == {"AKIDENV"} and all(r["token"] == "env-session-token-2222" for r in log),
          "the environment's keys and token should sign every request")
    check(any(r["method"] == "PUT" and r["key"] == "creds/r.json" for r in log), "the report should be uploaded")
    # the rules, the referenced file, the data and the report share one connection
    check(len(log) == 4 and len({r["port"] for r in log}) == 1,
          "connections should be reused: %r" % [(r["method"], r["key"], r["port"]) for r in log])
    # only half the pair: a clear error
    _, err = creds_run(env, env.base_env(AWS_ACCESS_KEY_ID="AKIDENV"), expect=3)
    check("AWS_SECRET_ACCESS_KEY is not set" in err, "got %r" % err)


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


@case
def creds_shared_files_and_profiles(env):
    env.fault.secrets.update({"AKIDFILE": "file-secret-3333", "AKIDPROF": "prof-secret-4444",
                              "AKIDCONF": "conf-secret-5555", "AKIDPROC": "proc-secret-6666"})
    SECRETS.update(["file-secret-3333", "prof-secret-4444", "conf-secret-5555", "proc-secret-6666", "proc-token-7777"])
    d = os.path.join(env.tmp, "aws")
    write(d + "/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret-3333\n\n"
                              "# a comment\n[prof]\naws_access_key_id=AKIDPROF\naws_secret_access_key=prof-secret-4444\n")
    proc = "%s -c 'import json; print(json.dumps({\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", " \
           "\"SecretAccessKey\": \"proc-secret-6666\", \"SessionToken\": \"proc-token-7777\"}))'" % sys.executable
    write(d + "/config", "[default]\nregion = eu-north-1\n[profile cfg]\naws_access_key_id = AKIDCONF\n"
                         "aws_secret_access_key = conf-secret-5555\nregion = ap-south-1\ns3 =\n  addressing_style = path\n"
                         "[profile proc]\ncredential_process = %s\n" % proc)
    files = dict(AWS_SHARED_CREDENTIALS_FILE=d + "/credentials", AWS_CONFIG_FILE=d + "/config")
    log, _ = creds_run(env, env.base_env(**files))
    check(set(keys_used(log)) == {"AKIDFILE"} and {r["region"] for r in log} == {"eu-north-1"},
          "[default] of the credentials file, region from the config file: %r" % {(r["akid"], r["region"]) for r in log})
    log, _ = creds_run(env, env.base_env(AWS_PROFILE="prof", **files))
    check(set(keys_used(log)) == {"AKIDPROF"}, "AWS_PROFILE=prof: %r" % set(keys_used(log)))
    # --profile wins over the environment's keys (as with the AWS CLI)
    log, _ = creds_run(env, env.base_env(AWS_ACCESS_KEY_ID="AKIDNOPE", AWS_SECRET_ACCESS_KEY="nope", **files),
                       ["--profile", "cfg"])
    check(set(keys_used(log)) == {"AKIDCONF"} and {r["region"] for r in log} == {"ap-south-1"},
          "--profile cfg: keys and region from the config file: %r" % {(r["akid"], r["region"]) for r in log})
    log, _ = creds_run(env, env.base_env(**files), ["--profile", "proc", "--region", "us-west-2"])
    check(set(keys_used(log)) == {"AKIDPROC"} and all(r["token"] == "proc-token-7777" for r in log)
          and {r["region"] for r in log} == {"us-west-2"}, "credential_process, --region: %r" % log[:1])
    # ~/.aws is the default place
    write(env.home + "/.aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret-3333\n")
    log, _ = creds_run(env, env.base_env())
    check(set(keys_used(log)) == {"AKIDFILE"}, "~/.aws/credentials: %r" % set(keys_used(log)))
    os.remove(env.home + "/.aws/credentials")
    _, err = creds_run(env, env.base_env(**files), ["--profile", "nosuch"], expect=3)
    check("the profile 'nosuch' is in neither" in err, "got %r" % err)
    write(d + "/config2", "[profile bad]\ncredential_process = sh -c 'echo oops >&2; exit 4'\n")
    _, err = creds_run(env, env.base_env(AWS_CONFIG_FILE=d + "/config2"), ["--profile", "bad"], expect=3)
    check("credential_process: exited with 4" in err, "got %r" % err)


@case
def creds_web_identity(env):
    m = env.meta
    tok = os.path.join(env.tmp, "web-token")
    write(tok, m.web_token)
    SECRETS.add(m.web_token)
    e = env.base_env(AWS_WEB_IDENTITY_TOKEN_FILE=tok, AWS_ROLE_ARN=m.role_arn, AWS_ROLE_SESSION_NAME="rvalid-test",
                     AWS_ENDPOINT_URL_STS=m.url + "/sts", AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    m.ttl, before = 3600, m.counts.get("STS", 0)
    log, _ = creds_run(env, e)
    keys = set(keys_used(log))
    check(len(keys) == 1 and next(iter(keys)).startswith("ASIASTS") and m.counts["STS"] - before == 1,
          "one STS exchange for the whole run: %r" % keys)
    check(all(r["token"] and r["token"].startswith("token-STS") for r in log), "the session token is sent")
    # the same from a profile: web_identity_token_file and role_arn in the config file
    cfg = os.path.join(env.tmp, "aws-wi", "config")
    write(cfg, "[profile k8s]\nweb_identity_token_file = %s\nrole_arn = %s\n" % (tok, m.role_arn))
    log, _ = creds_run(env, env.base_env(AWS_CONFIG_FILE=cfg, AWS_ENDPOINT_URL_STS=m.url + "/sts"),
                       ["--profile", "k8s"])
    check(all(k.startswith("ASIASTS") for k in keys_used(log)), "web identity from the profile")
    # a token STS refuses: one clear line
    write(tok + "-bad", "not-the-token")
    _, err = creds_run(env, dict(e, AWS_WEB_IDENTITY_TOKEN_FILE=tok + "-bad"), expect=3)
    check("web identity: STS AssumeRoleWithWebIdentity: 403 InvalidIdentityToken: Incorrect token audience" in err,
          "got %r" % err)


@case
def creds_container(env):
    m = env.meta
    SECRETS.add(m.container_auth.split()[1])
    e = env.base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=m.url + "/container/creds",
                     AWS_CONTAINER_AUTHORIZATION_TOKEN=m.container_auth)
    m.ttl, before = 3600, m.counts.get("CONT", 0)
    log, _ = creds_run(env, e)
    keys = set(keys_used(log))
    check(len(keys) == 1 and next(iter(keys)).startswith("ASIACONT") and m.counts["CONT"] - before == 1,
          "container credentials: %r" % keys)
    # the token from a file, as EKS Pod Identity gives it
    tf = os.path.join(env.tmp, "container-token")
    write(tf, m.container_auth + "\n")
    log, _ = creds_run(env, env.base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=m.url + "/container/creds",
                                         AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tf))
    check(all(k.startswith("ASIACONT") for k in keys_used(log)), "container token file")
    _, err = creds_run(env, env.base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=m.url + "/container/creds",
                                         AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer wrong"), expect=3)
    check("container credentials:" in err and "answered 401" in err, "got %r" % err)


@case
def creds_instance_metadata(env):
    m = env.meta
    e = env.base_env(AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=m.url)
    m.ttl, before_tok, before = 3600, m.counts.get("imds-token", 0), m.counts.get("IMDS", 0)
    log, _ = creds_run(env, e)
    keys = set(keys_used(log))
    check(len(keys) == 1 and next(iter(keys)).startswith("ASIAIMDS"), "IMDS credentials: %r" % keys)
    check(m.counts["imds-token"] - before_tok == 1 and m.counts["IMDS"] - before == 1,
          "IMDSv2: one token, then the credentials")
    # nothing anywhere: a clear error
    dead = "http://127.0.0.1:%d" % free_port()
    _, err = creds_run(env, env.base_env(AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=dead), expect=3)
    check(err.startswith("rvalid: s3://b/creds/rules.yaml: no AWS credentials found"), "got %r" % err)


@case
def creds_chain_order(env):
    """Earlier sources win: environment > web identity > shared files > container > IMDS."""
    m = env.meta
    m.ttl = 3600
    tok = os.path.join(env.tmp, "web-token")
    write(tok, m.web_token)
    d = os.path.join(env.tmp, "aws-order")
    write(d + "/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret-3333\n")
    env.fault.secrets["AKIDFILE"] = "file-secret-3333"
    env.fault.secrets["AKIDENV"] = "env-secret-1111"
    everything = dict(AWS_ACCESS_KEY_ID="AKIDENV", AWS_SECRET_ACCESS_KEY="env-secret-1111",
                      AWS_WEB_IDENTITY_TOKEN_FILE=tok, AWS_ROLE_ARN=m.role_arn, AWS_ENDPOINT_URL_STS=m.url + "/sts",
                      AWS_SHARED_CREDENTIALS_FILE=d + "/credentials",
                      AWS_CONTAINER_CREDENTIALS_FULL_URI=m.url + "/container/creds",
                      AWS_CONTAINER_AUTHORIZATION_TOKEN=m.container_auth,
                      AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=m.url)
    order = [("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_WEB_IDENTITY_TOKEN_FILE", "ASIASTS"),
             ("AWS_SHARED_CREDENTIALS_FILE", "AKIDFILE"), ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "ASIACONT"),
             ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ASIAIMDS")]
    e = dict(everything)
    for var, prefix in order:
        log, _ = creds_run(env, env.base_env(**e))
        keys = set(keys_used(log))
        check(len(keys) == 1 and next(iter(keys)).startswith(prefix), "with %s and later sources: %r" % (var, keys))
        e[var] = None
        if var == "AWS_ACCESS_KEY_ID":
            e["AWS_SECRET_ACCESS_KEY"] = None
        if var == "AWS_SHARED_CREDENTIALS_FILE":
            e[var] = "/nonexistent"


@case
def creds_refresh_before_expiry(env):
    """Credentials with less than 5 minutes left are fetched again before a request;
    ones with an hour left are not."""
    m = env.meta
    tok = os.path.join(env.tmp, "web-token")
    write(tok, m.web_token)
    sources = [("IMDS", dict(AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=m.url)),
               ("CONT", dict(AWS_CONTAINER_CREDENTIALS_FULL_URI=m.url + "/container/creds",
                             AWS_CONTAINER_AUTHORIZATION_TOKEN=m.container_auth)),
               ("STS", dict(AWS_WEB_IDENTITY_TOKEN_FILE=tok, AWS_ROLE_ARN=m.role_arn,
                            AWS_ENDPOINT_URL_STS=m.url + "/sts"))]
    for src, extra in sources:
        m.ttl = 240
        before = m.counts.get(src, 0)
        log, err = creds_run(env, env.base_env(**extra), ["--verbose"])
        keys = keys_used(log)
        check(len(keys) >= 3 and len(set(keys)) == len(keys) and m.counts[src] - before == len(keys),
              "%s: each request should get fresh credentials: %r" % (src, keys))
        check("credentials refreshed from" in err, "--verbose says when credentials are refreshed")
        m.ttl = 3600
        before = m.counts.get(src, 0)
        log, _ = creds_run(env, env.base_env(**extra))
        check(len(set(keys_used(log))) == 1 and m.counts[src] - before == 1, "%s: no refresh an hour ahead" % src)
    m.ttl = 3600


# ---- the cases: TLS, CA bundle, proxy ----

@case
def tls_ca_bundle_and_proxy(env):
    data = make_orders(200, 8)
    fault_seed(env, "tls/orders.csv", data)
    base = ["validate", "-q", "--endpoint-url", env.tls.url, "-r", os.path.join(DATA, "rules.yaml"), "s3://b/tls/orders.csv",
            "-f", "json"]
    _, _, err = env.run(base, env=fault_env(env), expect=3)
    check("certificate" in err.lower() and err.count("\n") == 1, "an untrusted certificate: %r" % err)
    env.run(base + ["--ca-bundle", env.cert], env=fault_env(env), expect=1)
    env.run(base, env=fault_env(env, AWS_CA_BUNDLE=env.cert), expect=1)
    n = len(env.proxy.tunnels)
    env.run(base, env=fault_env(env, AWS_CA_BUNDLE=env.cert, HTTPS_PROXY=env.proxy.url), expect=1)
    check(env.proxy.tunnels[n:] and env.proxy.tunnels[-1] == "127.0.0.1:%d" % env.tls.port,
          "HTTPS_PROXY should carry the request: %r" % env.proxy.tunnels[n:])
    n = len(env.proxy.tunnels)
    env.run(base, env=fault_env(env, AWS_CA_BUNDLE=env.cert, HTTPS_PROXY=env.proxy.url, NO_PROXY="127.0.0.1"), expect=1)
    check(len(env.proxy.tunnels) == n, "NO_PROXY should bypass the proxy")


# ---- main ----

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rvalid", required=True)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("-k", default="")
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--sanitized", action="store_true", help="the binary is built with ASan: smaller, looser limits")
    a = ap.parse_args()
    rvalid = os.path.abspath(a.rvalid)
    t0 = time.time()
    prefix = ensure_s3rver(os.path.abspath(a.build))
    tmp = tempfile.mkdtemp(prefix="rvalid-s3-")
    env = Env(rvalid, tmp)
    env.sanitized = a.sanitized
    stopped = []

    def cleanup():
        if stopped:
            return
        stopped.append(1)
        for s in (env.s3rver, env.fault, env.meta, env.tls, env.proxy):
            if s:
                try:
                    s.stop()
                except Exception:
                    pass
        shutil.rmtree(tmp, ignore_errors=True)

    atexit.register(cleanup)

    def on_signal(sig, _frame):
        cleanup()
        sys.exit(128 + sig)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    env.s3rver = S3rver(prefix, tmp)
    env.fault = servers.FaultS3()
    env.fault.secrets["AKIDFAULT"] = "fault-secret-0000"
    SECRETS.add("fault-secret-0000")
    env.meta = servers.Metadata(env.fault)
    key, env.cert = test_cert()
    env.tls = TlsFault(env.fault, key, env.cert)
    env.proxy = Proxy()
    failed = []
    ran = 0
    for fn in CASES:
        if a.k not in fn.__name__:
            continue
        ran += 1
        c0 = time.time()
        try:
            env.note = ""
            fn(env)
            if a.v or env.note:
                print("s3: ok   %s (%.1f s)%s" % (fn.__name__, time.time() - c0,
                                               ": " + env.note if env.note else ""), flush=True)
        except Exception as ex:  # noqa: BLE001 - report every failure the same way
            failed.append(fn.__name__)
            print("s3: FAIL %s: %s" % (fn.__name__, ex), flush=True)
    cleanup()
    print("s3: %d cases passed, %d failed%s (%.1f s)" % (ran - len(failed), len(failed),
                                                        ": " + " ".join(failed) if failed else "", time.time() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
