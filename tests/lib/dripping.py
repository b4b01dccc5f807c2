"""A server that answers every request slowly, for the deadlines of HTTP readers."""

from __future__ import annotations

import socket
import threading
import time


class DrippingServer:
    """Answers every request with ``head`` then ``body``, one byte every 50 ms (each wait far under any
    per-wait timeout), for at most 30 s: a reader without a deadline for the whole answer would read on
    for that long and then fail some other way. A context manager; ``url`` is its base URL."""

    def __init__(self, head: bytes, body: bytes = b"") -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/"
        self.message = head + body
        self.requests = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def __enter__(self) -> DrippingServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.listener.close()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.requests += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in self.message[:600]:
                try:
                    conn.sendall(bytes([byte]))
                except OSError:  # the reader cut the connection
                    return
                time.sleep(0.05)
