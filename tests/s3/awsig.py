"""awsig.py: a small, independent SigV4 signer and verifier for the S3 tests (Python
standard library only). The tests use it to put fixtures into the signature-checking
server and read rvalid's outputs back, and the fault server uses it to check that rvalid
signed each request with the credentials it was handed."""
import datetime
import hashlib
import hmac
import http.client
import urllib.parse

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def uri_encode(s, keep_slash):
    if isinstance(s, str):
        s = s.encode()
    safe = UNRESERVED + ("/" if keep_slash else "")
    return "".join(chr(b) if chr(b) in safe else "%%%02X" % b for b in s)


def _hmac(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret, date8, region, service="s3"):
    k = _hmac(("AWS4" + secret).encode(), date8)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def canonical_request(method, raw_path, query, headers, signed, payload_hash):
    """raw_path: the path as sent (already encoded once); query: list of (k, v) decoded."""
    q = sorted((uri_encode(k, False), uri_encode(v, False)) for k, v in query)
    lines = [method, raw_path, "&".join("%s=%s" % kv for kv in q)]
    for name in signed:
        lines.append("%s:%s" % (name, " ".join(headers[name].split())))
    lines += ["", ";".join(signed), payload_hash]
    return "\n".join(lines)


def sign(method, url, region, akid, secret, body=b"", token=None, extra=None):
    """Headers (dict) that sign a request to url."""
    u = urllib.parse.urlsplit(url)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    payload = hashlib.sha256(body).hexdigest()
    headers = {"host": u.netloc, "x-amz-date": now, "x-amz-content-sha256": payload}
    if token:
        headers["x-amz-security-token"] = token
    for k, v in (extra or {}).items():
        headers[k.lower()] = v
    signed = sorted(headers)
    query = urllib.parse.parse_qsl(u.query, keep_blank_values=True)
    creq = canonical_request(method, u.path or "/", query, headers, signed, payload)
    scope = "%s/%s/s3/aws4_request" % (now[:8], region)
    sts = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (now, scope, hashlib.sha256(creq.encode()).hexdigest())
    sig = hmac.new(signing_key(secret, now[:8], region), sts.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        akid, scope, ";".join(signed), sig)
    return headers


def parse_authorization(value):
    """(akid, date8, region, service, signed header names, signature) or None."""
    if not value or not value.startswith("AWS4-HMAC-SHA256 "):
        return None
    parts = {}
    for item in value[len("AWS4-HMAC-SHA256 "):].split(","):
        k, _, v = item.strip().partition("=")
        parts[k] = v
    try:
        akid, date8, region, service, _ = parts["Credential"].split("/")
        return akid, date8, region, service, parts["SignedHeaders"].split(";"), parts["Signature"]
    except (KeyError, ValueError):
        return None


def verify(method, raw_target, headers, secret):
    """True when the request's Authorization matches what secret gives. headers: a
    case-insensitive mapping (http.server's message). raw_target: path?query as sent."""
    a = parse_authorization(headers.get("Authorization"))
    if not a:
        return False
    akid, date8, region, service, signed, signature = a
    path, _, q = raw_target.partition("?")
    query = urllib.parse.parse_qsl(q, keep_blank_values=True)
    hv = {}
    for name in signed:
        v = headers.get(name)
        if v is None:
            return False
        hv[name] = v
    creq = canonical_request(method, path, query, hv, signed, headers.get("x-amz-content-sha256", ""))
    amz_date = headers.get("x-amz-date", "")
    scope = "%s/%s/%s/aws4_request" % (date8, region, service)
    sts = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (amz_date, scope, hashlib.sha256(creq.encode()).hexdigest())
    want = hmac.new(signing_key(secret, date8, region, service), sts.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, signature)


class Client:
    """Path-style requests to an S3-compatible endpoint."""

    def __init__(self, endpoint, akid, secret, region="us-east-1"):
        self.endpoint = endpoint.rstrip("/")
        self.akid, self.secret, self.region = akid, secret, region

    def request(self, method, bucket, key="", body=b"", query=""):
        path = "/" + bucket + ("/" + uri_encode(key, True) if key else "")
        url = self.endpoint + path + ("?" + query if query else "")
        headers = sign(method, url, self.region, self.akid, self.secret, body)
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        conn.request(method, path + ("?" + query if query else ""), body=body,
                     headers={k: v for k, v in headers.items() if k != "host"})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, data

    def put(self, bucket, key, data):
        st, body = self.request("PUT", bucket, key, data)
        if st != 200:
            raise RuntimeError("PUT %s/%s: %d %s" % (bucket, key, st, body[:200]))

    def get(self, bucket, key):
        return self.request("GET", bucket, key)
