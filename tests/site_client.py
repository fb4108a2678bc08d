"""A person's browser, as far as a real server's pages need one (the two-host test, make bench-http):
cookies (sent to whichever server is asked, as to one site behind a load balancer), CSRF tokens,
forms and file uploads. Requests say they came through the proxy's HTTPS (X-Forwarded-Proto), as
production expects, with a referer of the server asked, as the CSRF check wants."""

import http.client
import re
import uuid
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SiteClient:
    def __init__(self, cookie: str = ""):
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; ") if part)

    def request(self, base: str, method: str, path: str, body: bytes = b"", content_type: str = ""):
        """(status, headers, text) of one request to the server at ``base`` (http://host:port)."""
        server = urlsplit(base)
        connection = http.client.HTTPConnection(server.hostname, server.port, timeout=120)
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{server.netloc}/",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), text

    def get(self, base: str, path: str):
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, fields: dict, files: dict | None = None):
        """A form of the page at ``path`` sent with its CSRF token; ``files``: {name: (filename, bytes)}."""
        token = CSRF_FIELD.search(self.get(base, path)[2]).group(1)
        fields = {"csrfmiddlewaretoken": token, **fields}
        if not files:
            return self.request(base, "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        for name, (filename, content) in files.items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(head.encode() + b"Content-Type: text/csv\r\n\r\n" + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(base, "POST", path, body, f"multipart/form-data; boundary={boundary}")
