#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd): STARTTLS required, AUTH required.

usage: smtp_server.py PORT CERT KEY USER PASSWORD
Prints READY once listening; "AUTH MECHANISM LOGIN accepted|refused" for each login; for every accepted message
"AUTHENTICATED True", the message and END-OF-MESSAGE.
A wrong password is refused (535) by aiosmtpd's AUTH handling.
"""
import ssl
import warnings
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

warnings.simplefilter("ignore", DeprecationWarning)
port, cert, key, user, password = sys.argv[1:6]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        print("AUTHENTICATED", session.authenticated)
        print(envelope.content.decode("utf-8", "replace"))
        print("END-OF-MESSAGE", flush=True)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
          and auth_data.password == password.encode())
    login = auth_data.login.decode("utf-8", "replace") if isinstance(auth_data, LoginPassword) else "?"
    print("AUTH", mechanism, login, "accepted" if ok else "refused", flush=True)
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Handler(), hostname="127.0.0.1", port=int(port), tls_context=context,
                        require_starttls=True, authenticator=authenticator, auth_required=True)
controller.start()
print("READY", flush=True)
try:
    while True:
        time.sleep(1)
finally:
    controller.stop()
