"""A real S3-compatible server for the tests: moto's server (`moto[server]`) in a thread of
the test process, on a free loopback port, with authentication on (a request signed with
a wrong key is refused, as by a real S3). Its buckets live in this process's memory, so
pause() and resume() stop and start the server with the objects kept: S3 going down under
a running store and coming back."""

from __future__ import annotations

import json
import logging
import sys
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
import requests
from moto.server import ThreadedMotoServer

from tests.support.streamlit_server import free_port

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request in the output
REGION = "us-east-1"
# moto allows the first N requests without credentials: enough to create the user and key
# the tests use; then every request must be signed with a key it knows.
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                  "Resource": "*"}]}  # fmt: skip


@dataclass
class S3Server:
    port: int
    key_id: str = ""
    secret: str = ""
    _server: Any = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls) -> S3Server:
        server = cls(free_port())
        server.resume()
        iam = boto3.client("iam", endpoint_url=server.endpoint, region_name=REGION,
                           aws_access_key_id="setup", aws_secret_access_key="setup")  # fmt: skip
        iam.create_user(UserName="cockpit")
        iam.put_user_policy(UserName="cockpit", PolicyName="s3", PolicyDocument=json.dumps(POLICY))
        key = iam.create_access_key(UserName="cockpit")["AccessKey"]
        server.key_id, server.secret = key["AccessKeyId"], key["SecretAccessKey"]
        # From now on every request needs a key moto knows.
        requests.post(f"{server.endpoint}/moto-api/reset-auth", data=b"0", timeout=30)
        return server

    def client(self) -> Any:
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id=self.key_id,
                            aws_secret_access_key=self.secret)  # fmt: skip

    def create_bucket(self) -> str:
        name = f"lake-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        """Every object's key in the bucket."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def env(self, bucket: str, prefix: str = "lake") -> dict[str, str]:
        """The settings a store needs for data files in the bucket."""
        return {
            "COCKPIT_LAKE_DATA": f"s3://{bucket}/{prefix}",
            "COCKPIT_S3_ENDPOINT": self.endpoint,
            "COCKPIT_S3_REGION": REGION,
            "COCKPIT_S3_KEY_ID": self.key_id,
            "COCKPIT_S3_SECRET": self.secret,
        }

    def pause(self) -> None:
        """Stop serving (the port refuses connections); the objects are kept."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def resume(self) -> None:
        """Serve again on the same port, with the same objects."""
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        self.pause()


def main() -> int:
    """`python -m tests.support.s3`: a server in a process of its own (the bench, so that
    the server does not share the measured process's interpreter): prints its port and
    key as one JSON line, serves until its stdin closes."""
    server = S3Server.start()
    print(json.dumps({"port": server.port, "key_id": server.key_id, "secret": server.secret}))
    sys.stdout.flush()
    sys.stdin.read()
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
