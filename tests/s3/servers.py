"""servers.py: the S3 test suite's own small servers (Python standard library), on
127.0.0.1 with a free port each:

FaultS3    an S3 look-alike whose keys choose a misbehaviour: drop the connection
           mid-body, 503 then 200, answer slowly, change the ETag between requests,
           fail a multipart part; it keeps multipart uploads, records every request
           (AbortMultipartUpload included) and checks each signature against the secret
           of the access key used (keys handed out by Metadata are registered with it).
Metadata   fake credential endpoints: EC2 IMDSv2 (/latest/..., token first), container
           credentials (/container/creds, with an Authorization token) and STS
           AssumeRoleWithWebIdentity (/sts/); each hands out fresh, short-lived keys."""
import datetime
import hashlib
import http.server
import itertools
import json
import secrets
import socket
import threading
import time
import urllib.parse

import awsig


def error_xml(code, message):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
            '<RequestId>TEST</RequestId></Error>' % (code, message)).encode()


class Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=None, ctype="application/xml"):
        self.send_response(status)
        hs = {"Content-Type": ctype, "Content-Length": str(len(body))}
        hs.update(headers or {})
        for k, v in hs.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that hangs up early (rvalid cutting a slow answer) is expected

    def __init__(self, handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.port = self.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()


# ---- the fault server ----

class FaultHandler(Quiet):
    def do_GET(self):
        self.handle_s3("GET")

    def do_PUT(self):
        self.handle_s3("PUT")

    def do_POST(self):
        self.handle_s3("POST")

    def do_DELETE(self):
        self.handle_s3("DELETE")

    def handle_s3(self, method):
        srv = self.server
        data = self.body() if method in ("PUT", "POST") else b""
        target = self.path
        path, _, q = target.partition("?")
        query = dict(urllib.parse.parse_qsl(q, keep_blank_values=True))
        parts = urllib.parse.unquote(path).lstrip("/").split("/", 1)
        bucket, key = parts[0], parts[1] if len(parts) > 1 else ""
        auth = awsig.parse_authorization(self.headers.get("Authorization"))
        rec = {"method": method, "bucket": bucket, "key": key, "query": query,
               "akid": auth[0] if auth else None, "region": auth[2] if auth else None,
               "range": self.headers.get("Range"), "if_match": self.headers.get("If-Match"),
               "token": self.headers.get("x-amz-security-token"),
               "sha256": self.headers.get("x-amz-content-sha256"),
               "port": self.client_address[1], "time": time.time()}
        with srv.lock:
            srv.log.append(rec)
            n = sum(1 for r in srv.log if r["key"] == key and r["method"] == method)
        secret = srv.secrets.get(rec["akid"])
        if not auth or secret is None:
            return self.send(403, error_xml("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."))
        if not awsig.verify(method, target, self.headers, secret):
            return self.send(403, error_xml("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."))
        sha = self.headers.get("x-amz-content-sha256")
        if method in ("PUT", "POST") and sha != hashlib.sha256(data).hexdigest():
            return self.send(400, error_xml("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed."))
        if method == "GET" and sha != "UNSIGNED-PAYLOAD":
            return self.send(400, error_xml("InvalidRequest", "GET should be UNSIGNED-PAYLOAD"))
        if method == "GET":
            return self.get(bucket, key, n)
        if method == "PUT" and "uploadId" in query:
            return self.upload_part(key, query, data)
        if method == "PUT":
            if key.startswith("failput/"):
                return self.send(500, error_xml("InternalError", "We encountered an internal error. Please try again."))
            srv.objects[key] = data
            return self.send(200, headers={"ETag": '"%s"' % hashlib.md5(data).hexdigest()})
        if method == "POST" and "uploads" in query:
            uid = "upload-%d" % next(srv.ids)
            srv.uploads[uid] = {"key": key, "parts": {}}
            return self.send(200, ('<InitiateMultipartUploadResult><Bucket>%s</Bucket><Key>%s</Key>'
                                   '<UploadId>%s</UploadId></InitiateMultipartUploadResult>' % (bucket, key, uid)).encode())
        if method == "POST" and "uploadId" in query:
            up = srv.uploads.pop(query["uploadId"], None)
            if up is None:
                return self.send(404, error_xml("NoSuchUpload", "The specified upload does not exist."))
            srv.objects[key] = b"".join(up["parts"][i] for i in sorted(up["parts"]))
            return self.send(200, b"<CompleteMultipartUploadResult><ETag>\"m-1\"</ETag></CompleteMultipartUploadResult>")
        if method == "DELETE" and "uploadId" in query:
            srv.uploads.pop(query["uploadId"], None)
            srv.aborted.append(key)
            return self.send(204)
        return self.send(405, error_xml("MethodNotAllowed", "The specified method is not allowed against this resource."))

    def upload_part(self, key, query, data):
        srv = self.server
        up = srv.uploads.get(query["uploadId"])
        if up is None:
            return self.send(404, error_xml("NoSuchUpload", "The specified upload does not exist."))
        num = int(query["partNumber"])
        if key.startswith("failpart/") and num == 2:
            return self.send(403, error_xml("AccessDenied", "Access Denied"))
        if key.startswith("stallpart/") and num == 2:
            time.sleep(30)
        up["parts"][num] = data
        return self.send(200, headers={"ETag": '"p%d-%s"' % (num, hashlib.md5(data).hexdigest()[:8])})

    def get(self, bucket, key, n):
        srv = self.server
        mode = key.split("/", 1)[0]
        if bucket != "b":
            return self.send(404, error_xml("NoSuchBucket", "The specified bucket does not exist"))
        if mode == "region" and self.headers and awsig.parse_authorization(self.headers.get("Authorization"))[2] != "eu-west-1":
            return self.send(301, error_xml("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint."),
                             headers={"x-amz-bucket-region": "eu-west-1"})
        if mode == "flaky" and n == 1:
            return self.send(503, error_xml("SlowDown", "Please reduce your request rate."))
        if mode == "throttled" and n == 1:
            return self.send(429, b"", ctype="text/plain")
        if mode == "always503":
            return self.send(503, error_xml("SlowDown", "Please reduce your request rate."))
        if mode == "denied":
            return self.send(403, error_xml("AccessDenied", "Access Denied"))
        if mode == "slow" and n == 1:
            time.sleep(srv.slow_seconds)
        if mode == "gen":
            return self.generate(int(key.split("/")[1].split(".")[0]))
        data = srv.objects.get(key)
        if data is None:
            return self.send(404, error_xml("NoSuchKey", "The specified key does not exist."))
        etag = '"e1"'
        if mode in ("etagchange", "etagignore") and n > 1:
            etag = '"e2"'
        if self.headers.get("If-Match") and self.headers.get("If-Match") != etag and mode != "etagignore":
            return self.send(412, error_xml("PreconditionFailed", "At least one of the pre-conditions you specified did not hold"))
        start = 0
        rng = self.headers.get("Range")
        if rng:
            start = int(rng.split("=")[1].split("-")[0])
        body = data[start:]
        status = 206 if rng else 200
        headers = {"ETag": etag, "Content-Length": str(len(body)), "Content-Type": "text/csv"}
        if rng:
            headers["Content-Range"] = "bytes %d-%d/%d" % (start, len(data) - 1, len(data))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if mode in ("drop", "etagchange", "etagignore") and n == 1:
            # half the body, then the connection goes away
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if mode == "trickle":
            # the body slowly, so a run can be interrupted while it reads
            for i in range(0, len(body), 65536):
                self.wfile.write(body[i:i + 65536])
                self.wfile.flush()
                time.sleep(srv.trickle_delay if i >= srv.trickle_after else 0)
            return
        self.wfile.write(body)


    def generate(self, mib):
        """About mib MiB of valid CSV, made as it is sent (never held whole)."""
        head = b"order_id,email,amount,country,note\n"
        row = b"1,ada@example.com,120.50,GB,a note of some length\n"
        block = row * (65536 // len(row))
        n = (mib << 20) // len(block)
        self.send_response(200)
        self.send_header("Content-Length", str(len(head) + n * len(block)))
        self.send_header("ETag", '"gen"')
        self.end_headers()
        self.wfile.write(head)
        for _ in range(n):
            self.wfile.write(block)
        self.server.generated_rows = n * (len(block) // len(row))


class FaultS3(Server):
    def __init__(self):
        self.lock = threading.Lock()
        self.log = []
        self.objects = {}
        self.uploads = {}
        self.aborted = []
        self.secrets = {}
        self.ids = itertools.count(1)
        self.slow_seconds = 3
        self.trickle_delay = 0.2
        self.trickle_after = 0
        super().__init__(FaultHandler)

    def requests(self, key=None, method=None):
        with self.lock:
            return [r for r in self.log if (key is None or r["key"] == key)
                    and (method is None or r["method"] == method)]

    def reset_log(self):
        with self.lock:
            self.log.clear()
            self.aborted.clear()


# ---- the credential endpoints ----

class MetadataHandler(Quiet):
    def do_PUT(self):
        srv = self.server
        self.body()
        if self.path == "/latest/api/token":
            ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
            if not ttl:
                return self.send(400, b"missing ttl", ctype="text/plain")
            srv.count("imds-token")
            srv.imds_token = secrets.token_hex(16)
            return self.send(200, srv.imds_token.encode(), ctype="text/plain")
        return self.send(404, b"", ctype="text/plain")

    def do_GET(self):
        srv = self.server
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path.startswith(base):
            if not srv.imds_token or self.headers.get("X-aws-ec2-metadata-token") != srv.imds_token:
                return self.send(401, b"", ctype="text/plain")
            role = self.path[len(base):]
            if role == "":
                return self.send(200, b"rvalid-role", ctype="text/plain")
            if role != "rvalid-role":
                return self.send(404, b"", ctype="text/plain")
            c = srv.issue("IMDS")
            return self.send(200, json.dumps({"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": c["AccessKeyId"],
                                              "SecretAccessKey": c["SecretAccessKey"], "Token": c["SessionToken"],
                                              "Expiration": c["Expiration"], "LastUpdated": c["Expiration"]}).encode(),
                             ctype="application/json")
        if self.path == "/container/creds":
            if self.headers.get("Authorization") != srv.container_auth:
                return self.send(401, b'{"message":"unauthorized"}', ctype="application/json")
            c = srv.issue("CONT")
            return self.send(200, json.dumps({"AccessKeyId": c["AccessKeyId"], "SecretAccessKey": c["SecretAccessKey"],
                                              "Token": c["SessionToken"], "Expiration": c["Expiration"]}).encode(),
                             ctype="application/json")
        return self.send(404, b"", ctype="text/plain")

    def do_POST(self):
        srv = self.server
        form = dict(urllib.parse.parse_qsl(self.body().decode()))
        if not self.path.startswith("/sts"):
            return self.send(404, b"", ctype="text/plain")
        if form.get("Action") != "AssumeRoleWithWebIdentity" or form.get("RoleArn") != srv.role_arn:
            return self.send(400, b"<ErrorResponse><Error><Code>InvalidParameterValue</Code><Message>bad request</Message></Error></ErrorResponse>")
        if form.get("WebIdentityToken") != srv.web_token:
            return self.send(403, b"<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error></ErrorResponse>")
        c = srv.issue("STS")
        xml = ("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
               "<AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken>"
               "<Expiration>%s</Expiration></Credentials><SubjectFromWebIdentityToken>system:serviceaccount:x</SubjectFromWebIdentityToken>"
               "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>" % (
                   c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"], c["Expiration"]))
        return self.send(200, xml.encode())


class Metadata(Server):
    def __init__(self, fault):
        self.fault = fault
        self.lock = threading.Lock()
        self.counts = {}
        self.issued = []
        self.ttl = 3600
        self.imds_token = None
        self.container_auth = "Bearer container-secret-token"
        self.role_arn = "arn:aws:iam::123456789012:role/rvalid"
        self.web_token = "eyJ.web-identity.token"
        super().__init__(MetadataHandler)

    def count(self, what):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def issue(self, src):
        """Fresh credentials, registered with the fault server so it can check signatures."""
        self.count(src)
        with self.lock:
            n = len(self.issued) + 1
        c = {"AccessKeyId": "ASIA%s%04d" % (src, n), "SecretAccessKey": "secret-%s-%s" % (src, secrets.token_hex(12)),
             "SessionToken": "token-%s-%s" % (src, secrets.token_hex(20)),
             "Expiration": (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=self.ttl)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        with self.lock:
            self.issued.append(c)
        self.fault.secrets[c["AccessKeyId"]] = c["SecretAccessKey"]
        return c
