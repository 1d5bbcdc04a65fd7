#!/usr/bin/env python3
"""make check-browser: render real HTML reports in headless Chromium and check them.

For each report (written by the rvalid under test) and each width (390 px, a phone; 1280 px,
a desktop) the page is opened as file://REPORT#selftest. The page's own inline script then
writes into a data attribute of <html> whether the document fits the window's width
(scrollWidth within the viewport: no horizontal overflow) and whether the verdict's bottom edge
is within the window's height (visible without scrolling); this script reads that attribute
and fails on anything but "fits verdict-visible". It also fails when the page asks for any
URL but its own (the report must need no network, nor any other file), throws a JavaScript
exception, logs an error (a Content-Security-Policy violation, for one), or lets markup from the
data run as script; and it drives the filters once. A screenshot of the first screen and of the whole page (cut at 8,000 px) is
kept for each report and width under the output folder, for people to look at.

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: no port, no
network), because `--window-size` cannot make a headless window narrower than 500 px: there a
390 px `--dump-dom` run measures a 500 px page. The emulated viewport is exact.
"""
import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

WIDTHS = [(390, 844, True), (1280, 800, False)]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio"]


class Browser:
    """One headless Chromium, spoken to over fds 3 (commands) and 4 (answers and events)."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="rvalid-chromium-")
        cmd_r, cmd_w = os.pipe()
        ans_r, ans_w = os.pipe()
        # move the child's ends out of the way of 3 and 4 before dup2 puts them there
        cmd_r2 = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
        ans_w2 = fcntl.fcntl(ans_w, fcntl.F_DUPFD, 10)
        os.close(cmd_r)
        os.close(ans_w)

        def child_fds():
            os.dup2(cmd_r2, 3)
            os.dup2(ans_w2, 4)

        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            [chromium] + FLAGS + ["--user-data-dir=" + self.profile, "--remote-debugging-pipe",
                                  "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(cmd_r2)
        os.close(ans_w2)
        self.w = os.fdopen(cmd_w, "wb")
        self.r = os.fdopen(ans_r, "rb")
        self.next_id = 0
        self.events = []
        self.pending = b""

    def _read_message(self):
        while b"\0" not in self.pending:
            chunk = os.read(self.r.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed its DevTools pipe (see its log: %s)"
                                   % os.path.join(self.profile, "chromium.log"))
            self.pending += chunk
        msg, self.pending = self.pending.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.w.write(json.dumps(msg).encode() + b"\0")
        self.w.flush()
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, session, timeout):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e["method"] == method and e.get("sessionId") == session:
                    del self.events[i]
                    return e
            self.send("Runtime.evaluate", {"expression": "1"}, session)  # pumps events
            time.sleep(0.02)
        raise RuntimeError(f"no {method} within {timeout} s")

    def close(self):
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def evaluate(b, session, expr):
    r = b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
    if "exceptionDetails" in r:
        raise RuntimeError(f"{expr}: {r['exceptionDetails']}")
    return r["result"].get("value")


def screenshot(b, session, path, width, height=None):
    params = {"format": "png"}
    if height:
        params.update(captureBeyondViewport=True,
                      clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
    data = b.send("Page.captureScreenshot", params, session)["data"]
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))


FILTER_TEST = r"""(function(){
var d=document,c=d.getElementById('fc'),it=[].slice.call(d.querySelectorAll('.it'));
if(!c)return 'no filter';
if(d.getElementById('filter').hidden)return 'filter still hidden';
if(it.some(function(e){return e.hidden}))return 'items hidden before filtering';
var q=%s;c.value=q;c.dispatchEvent(new Event('input'));
return new Promise(function(ok){setTimeout(function(){
var shown=it.filter(function(e){return !e.hidden});
var bad=shown.filter(function(e){return e.querySelector('.id').textContent.toLowerCase().indexOf(q)<0});
c.value='';c.dispatchEvent(new Event('input'));
setTimeout(function(){ok(bad.length?'shown but not matching: '+bad.length:
 (shown.length?'ok '+shown.length+' of '+it.length:'nothing shown for '+q)+
 (it.some(function(e){return e.hidden})?' (not all back)':''))},250)},250)})})()"""


def check_page(b, path, name, out, query, budget):
    """Opens one report at each width; returns a list of problems."""
    problems = []
    url = "file://" + os.path.abspath(path) + "#selftest"
    for width, height, mobile in WIDTHS:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            b.send(domain + ".enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, s)
        b.events.clear()
        t0 = time.time()
        b.send("Page.navigate", {"url": url}, s)
        b.wait_event("Page.loadEventFired", s, 60)
        result = None
        for _ in range(100):
            result = evaluate(b, s, "document.documentElement.getAttribute('data-selftest')")
            if result:
                break
            time.sleep(0.05)
        load = time.time() - t0
        where = f"{name} at {width} px"
        print(f"browser: {where}: {result} ({load:.2f} s to load)")
        if not result or not result.startswith("fits verdict-visible"):
            problems.append(f"{where}: self-test says {result!r}")
        if load > budget:
            problems.append(f"{where}: took {load:.2f} s to load (budget {budget} s)")
        title = evaluate(b, s, "document.title")
        if "pwned" in title or evaluate(b, s, "typeof window.pwned") != "undefined":
            problems.append(f"{where}: a value ran as script ({title!r})")
        if width == 1280 and query:
            got = b.send("Runtime.evaluate", {"expression": FILTER_TEST % json.dumps(query),
                                              "awaitPromise": True, "returnByValue": True}, s)
            verdict = got["result"].get("value")
            print(f"browser: {where}: filter {query!r}: {verdict}")
            if not str(verdict).startswith("ok") or "not all back" in str(verdict):
                problems.append(f"{where}: filter {query!r}: {verdict}")
        for e in b.events:
            m, p = e["method"], e.get("params", {})
            if m == "Network.requestWillBeSent":
                u = p["request"]["url"]
                if u.split("#")[0] != url.split("#")[0]:
                    problems.append(f"{where}: the page asked for {u}")
            elif m == "Runtime.exceptionThrown":
                problems.append(f"{where}: JavaScript exception: {p['exceptionDetails']}")
            elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                problems.append(f"{where}: logged: {p['entry'].get('text')}")
        base = os.path.join(out, f"{name}-{width}")
        screenshot(b, s, base + ".png", width)
        full = evaluate(b, s, "document.documentElement.scrollHeight")
        screenshot(b, s, base + "-full.png", width, min(int(full), 8000))
        b.send("Target.closeTarget", {"targetId": target})
    return problems


def run(rvalid, args, cwd):
    r = subprocess.run([rvalid] + args, cwd=cwd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"browser: rvalid {' '.join(args)} exited {r.returncode}: {r.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rvalid", required=True)
    ap.add_argument("--out", default="build/browser")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    a = ap.parse_args()
    started = time.time()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    rvalid = os.path.abspath(a.rvalid)
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    cli = os.path.join(root, "tests", "cli")
    wide = os.path.join(out, "wide")
    subprocess.run([sys.executable, os.path.join(root, "tests", "gen_wide.py"), wide], check=True)

    # hostile text: markup and script in a field name, a message and values
    with open(os.path.join(out, "hostile.yaml"), "w") as f:
        f.write("version: 1\nname: hostile\nfields:\n"
                "  \"<b>a</b>\": {type: int, max: 5, message: \"<script>pwned=1</script> & \\\"x\\\"\"}\n")
    with open(os.path.join(out, "hostile.csv"), "wb") as f:
        f.write(b"<b>a</b>\n<script>document.title='pwned';pwned=1</script>\n"
                b"\"<img src=x onerror=pwned=1>\"\n\"</td></tr></table><h1>x\"\n\x01\xff\n9\n")

    # (name, rvalid arguments, folder, a filter query, load budget in seconds)
    reports = [
        ("users", ["-r", "rules/users.yaml", "examples/users.csv"], root, "status", 10),
        ("passed", ["-r", "data/rules/people.yaml", "data/clean.csv"], cli, "age.", 10),
        ("parts", ["-r", "data/rules/people.yaml", "data/part1.csv", "data/part2.csv",
                   "data/header_duplicate.csv", "data/ragged.csv"], cli, "csv.", 10),
        ("long-values", ["-r", "data/rules/names.yaml", "data/long_value.csv"], cli, "name", 10),
        ("hostile", ["-r", os.path.join(out, "hostile.yaml"), os.path.join(out, "hostile.csv")],
         cli, "max", 10),
        ("wide", ["-r", os.path.join(wide, "wide.yaml"), os.path.join(wide, "wide.csv")], cli,
         "f0042.", 20),
    ]
    b = Browser(a.chromium)
    problems = []
    try:
        for name, args, cwd, query, budget in reports:
            path = os.path.join(out, name + ".html")
            run(rvalid, ["validate", "-q"] + args + ["-o", path], cwd)
            problems += check_page(b, path, name, out, query, budget)
    finally:
        b.close()
    for p in problems:
        print("browser: FAIL:", p)
    print(f"browser: {len(reports)} reports at {len(WIDTHS)} widths, {len(problems)} problems, "
          f"{time.time() - started:.1f} s; screenshots in {os.path.relpath(out)}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
