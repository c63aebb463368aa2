"""Keisei Web UI bridge: shows and controls a real Keisei (August 2025, commit 1ea1111) run.

``train_webui.py`` (next to this file) runs Keisei's training with the bridge attached. By hand::

    from keisei_bridge import KeiseiWebUICallback
    bridge = KeiseiWebUICallback.from_env()
    trainer.callback_manager.add_callback(bridge)
    bridge.on_training_start(trainer)      # Keisei has no such hook: call it before the loop
    trainer.run_training_loop()
    sys.exit(bridge.finish(trainer))

* ``on_training_start`` publishes ``session.started`` at once and starts a thread that blocks on
  ``keisei:control:{session}``; a daemon thread keeps ``keisei:heartbeat:{session}`` alive.
* ``on_step_end`` (Keisei's CallbackManager calls it after every PPO epoch) publishes a
  ``MetricUpdate`` (Keisei's metric names) and the board as a ``GameState``, saves a checkpoint
  when ``checkpoint_now`` was asked for (epoch boundaries only: mid-rollout is not a safe point), and
  announces Keisei's own new checkpoint files (``checkpoint_ts*.pth``, ``final_model.pth``).
* ``stop`` and ``pause`` (and SIGTERM, SIGINT) interrupt the main thread with one
  KeyboardInterrupt: Keisei catches it, and its clean-up saves ``checkpoint_ts{step}.pth``
  mid-epoch. ``finish`` then announces that checkpoint and returns the exit code: 0 stopped or
  completed, 10 paused, 1 failed (or no checkpoint could be written after a stop or pause).

The wire format is the one of the Java ``io.keisei.contracts`` records (``docs/stream-protocol.md``).
Only the Python standard library is used: a minimal RESP2 client speaks to Redis. ``StreamSink``
is the transport, reusable by other trainers: a Redis outage never stops training (messages wait
in a bounded queue, the oldest are dropped and counted when it is full, and are sent after a
reconnect with backoff).
"""

from __future__ import annotations

import _thread
import collections
import contextlib
import functools
import hashlib
import inspect
import itertools
import json
import logging
import math
import os
import re
import signal
import socket
import ssl
import threading
import time
import zipfile
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["KeiseiWebUICallback", "StreamSink", "RedisClient", "RedisError", "checkpoint_info",
           "keisei_evaluation_metrics", "EXIT_OK", "EXIT_FAILED", "EXIT_PAUSED"]

log = logging.getLogger("keisei_bridge")

# Exit codes: the same as the built-in trainer (training-service maps them to session states).
EXIT_OK = 0  # stopped on request (after a checkpoint), or training completed
EXIT_FAILED = 1  # a stop/pause was requested but no checkpoint could be written
EXIT_PAUSED = 10  # paused on request: a checkpoint was written; resume starts a new attempt

# Stream names and trimming limits: io.keisei.contracts.Streams.
METRICS = "keisei:metrics"
GAMES = "keisei:games"
EVENTS = "keisei:events"
PAYLOAD_FIELD = "data"


def _max_length(name, default, environ=None):
    """The approximate MAXLEN (XADD MAXLEN ~) of a stream: KEISEI_STREAMS_<NAME>_MAX_LENGTH, which training-service
    hands every trainer (its keisei.streams.*.max-length), else the protocol's default."""
    variable = "KEISEI_STREAMS_%s_MAX_LENGTH" % name
    value = (os.environ if environ is None else environ).get(variable)
    if value is None or not value.strip():
        return default
    try:
        n = int(value.strip().replace("_", ""))
    except ValueError:
        raise ValueError("%s must be a whole number of entries, not %r" % (variable, value)) from None
    if n < 1:
        raise ValueError("%s must be at least 1, not %d" % (variable, n))
    return n


METRICS_MAXLEN = _max_length("METRICS", 1_000_000)
GAMES_MAXLEN = _max_length("GAMES", 10_000)
EVENTS_MAXLEN = _max_length("EVENTS", 100_000)
SOURCE = "trainer"
CONTROL_TYPES = ("stop", "pause", "checkpoint_now")
DROPPED_METRIC = "trainer/stream_messages_dropped"

PPO_METRICS = (
    "ppo/policy_loss",
    "ppo/value_loss",
    "ppo/entropy",
    "ppo/kl_divergence_approx",
    "ppo/clip_fraction",
    "ppo/learning_rate",
)
GRADIENT_NORM = "ppo/gradient_norm"

_METRIC_NAME = re.compile(r"^[A-Za-z0-9_/.\-]{1,128}$")  # io.keisei.contracts.MetricNames.isValid
_SESSION_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_STREAM_ID = re.compile(r"^\d+(-\d+)?$")


def control_stream(session: str) -> str:
    return "keisei:control:" + session


def heartbeat_key(session: str) -> str:
    return "keisei:heartbeat:" + session


def now_millis() -> int:
    return int(time.time() * 1000)


def redact(url: str) -> str:
    return re.sub(r"://[^@/]*@", "://***@", url)


# --------------------------------------------------------------------------------------------
# A minimal RESP2 client
# --------------------------------------------------------------------------------------------


class RedisError(Exception):
    """An error reply from Redis (the connection itself is fine)."""


class RedisClient:
    """One connection to Redis, speaking RESP2. Not thread-safe: use one per thread.

    Socket errors (``OSError``, which includes timeouts and ``ConnectionError``) propagate and
    leave the client closed; the next command reconnects.
    """

    def __init__(self, url: str, timeout: float = 2.0):
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError("Redis URL must start with redis:// or rediss://, was " + redact(url))
        self.url = url
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 6379
        self.tls = parts.scheme == "rediss"
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password is not None else None
        if self.password is None and self.username:
            # redis://secret@host: redis-py reads a lone user-info part as the user name; Keisei Web UI
            # documents redis://:password@host, but accept the lone form as a password too.
            self.password, self.username = self.username, None
        db = 0
        path = (parts.path or "").strip("/")
        if path:
            db = int(path)
        query = parse_qs(parts.query)
        if "db" in query:
            db = int(query["db"][0])
        self.db = db
        self.timeout = timeout
        self._sock = None
        self._file = None

    # -- connection ---------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._sock is not None

    def connect(self) -> None:
        if self._sock is not None:
            return
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.tls:
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
            self._sock = sock
            self._file = sock.makefile("rb")
            try:
                if self.password is not None:
                    if self.username:
                        self.execute("AUTH", self.username, self.password)
                    else:
                        self.execute("AUTH", self.password)
                if self.db:
                    self.execute("SELECT", str(self.db))
            except RedisError as e:
                # e.g. a wrong password: treated like an unreachable server (retried with backoff)
                raise ConnectionError("Redis refused the connection: %s" % e)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        f, s = self._file, self._sock
        self._file = self._sock = None
        for c in (f, s):
            if c is not None:
                try:
                    c.close()
                except OSError:
                    pass

    # -- protocol -----------------------------------------------------------------------------

    @staticmethod
    def encode(*args) -> bytes:
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if isinstance(a, bytes):
                b = a
            elif isinstance(a, str):
                b = a.encode("utf-8")
            else:
                b = str(a).encode("utf-8")
            out.append(b"$%d\r\n" % len(b))
            out.append(b)
            out.append(b"\r\n")
        return b"".join(out)

    def _read_reply(self):
        line = self._file.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("connection to Redis closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode("utf-8", "replace")
        if kind == b"-":
            return RedisError(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self._file.read(n + 2)
            if len(data) != n + 2:
                raise ConnectionError("connection to Redis closed")
            return data[:-2].decode("utf-8", "replace")
        if kind == b"*":
            n = int(rest)
            if n < 0:
                return None
            return [self._read_reply() for _ in range(n)]
        raise ConnectionError("unexpected reply from Redis: %r" % line[:40])

    def execute(self, *args, timeout=None):
        """Sends one command and returns its reply; raises RedisError for an error reply.
        ``timeout``: seconds to wait for this reply instead of the client's (for blocking reads)."""
        reply = self.pipeline([args], timeout=timeout)[0]
        if isinstance(reply, RedisError):
            raise reply
        return reply

    def pipeline(self, commands, timeout=None):
        """Sends several commands at once; returns their replies in order (error replies as
        RedisError objects, not raised). A socket error closes the connection and propagates,
        and so does anything else raised mid-reply (a KeyboardInterrupt), which leaves the
        connection out of step."""
        self.connect()
        try:
            self._sock.settimeout(self.timeout if timeout is None else timeout)
            self._sock.sendall(b"".join(self.encode(*c) for c in commands))
            return [self._read_reply() for _ in commands]
        except BaseException:
            self.close()
            raise


# --------------------------------------------------------------------------------------------
# The transport: an outage-tolerant sink for one session's streams
# --------------------------------------------------------------------------------------------


class _Pending(object):
    __slots__ = ("stream", "maxlen", "payload")

    def __init__(self, stream, maxlen, payload):
        self.stream, self.maxlen, self.payload = stream, maxlen, payload


class _Backoff(object):
    """When a connection may be tried again after failures: 0.2 s doubling up to 5 s."""

    def __init__(self):
        self._delay = 0.0
        self._next = 0.0

    def ready(self):
        return time.monotonic() >= self._next

    def seconds_left(self):
        return max(0.0, self._next - time.monotonic())

    def succeeded(self):
        self._delay = 0.0
        self._next = 0.0

    def failed(self):
        self._delay = min(5.0, self._delay * 2 if self._delay else 0.2)
        self._next = time.monotonic() + self._delay


class StreamSink(object):
    """Publishes one session's messages to Keisei Web UI's Redis streams and reads its commands.

    A Redis outage never reaches the caller: messages wait in a bounded queue (the oldest are
    dropped and counted in ``dropped`` when it is full) and are sent, in order, once a later call
    reconnects (with a backoff of 0.2 s doubling to 5 s). Publishing, control reads and the
    heartbeat each use their own connection, so a blocking control read in a background thread
    never delays a publish. Thread-safe.

    :param redis_url: ``redis://[[user]:password@]host:port[/db]`` (``rediss://`` for TLS)
    :param session: the Keisei Web UI session id
    :param attempt: the attempt number (1 for the first start, +1 per resume)
    :param control_cursor: the control stream id after which this attempt's commands start;
        default: the newest id when the sink is built (``XREVRANGE + - COUNT 1``), or ``0-0``
    :param heartbeat_ttl: seconds the heartbeat key lives without a refresh
    :param max_pending: messages kept while Redis is unreachable
    :param socket_timeout: seconds for connecting to Redis and for each reply
    :param flush_timeout: seconds ``close()`` spends at most delivering queued messages
    """

    def __init__(self, redis_url, session, attempt=1, control_cursor=None, heartbeat_ttl=10, max_pending=10_000,
                 socket_timeout=2.0, flush_timeout=5.0):
        if not session or not _SESSION_ID.match(str(session)):
            raise ValueError("session must be 1-128 characters of letters, digits and . _ -")
        attempt = int(attempt)
        if attempt < 1:
            raise ValueError("attempt must be >= 1")
        if control_cursor is not None and not _STREAM_ID.match(str(control_cursor)):
            raise ValueError("control_cursor must be a stream id like 1700000000000-0, was %r" % (control_cursor,))
        self.redis_url = redis_url
        self.session = str(session)
        self.attempt = attempt
        self.heartbeat_ttl = max(1, int(math.ceil(float(heartbeat_ttl))))
        self.socket_timeout = float(socket_timeout)
        self.flush_timeout = float(flush_timeout)
        self.dropped = 0

        self._lock = threading.RLock()  # the publishing connection and the queue
        self._redis = RedisClient(redis_url, timeout=self.socket_timeout)
        self._backoff = _Backoff()
        self._pending = collections.deque()
        self._max_pending = max(1, int(max_pending))
        self._outage_logged = False

        self._control_lock = threading.Lock()  # the control connection and the cursor
        self._control = RedisClient(redis_url, timeout=self.socket_timeout)
        self._control_backoff = _Backoff()
        self._cursor = str(control_cursor) if control_cursor is not None else None
        if self._cursor is None:
            with self._control_lock:
                self._init_cursor()

        self._hb_stop = threading.Event()
        self._hb_thread = None
        self._closed = False

    @classmethod
    def from_env(cls, environ=None, **overrides):
        """Builds the sink from the variables training-service sets when it launches a custom
        trainer: KEISEI_REDIS_URL, KEISEI_SESSION_ID (required), KEISEI_ATTEMPT,
        KEISEI_CONTROL_CURSOR, KEISEI_HEARTBEAT_TTL_SECONDS (optional). Keyword arguments
        override them."""
        kwargs = _env_kwargs(environ, overrides)
        kwargs.update(overrides)
        return cls(**kwargs)

    # -- publishing ---------------------------------------------------------------------------

    def publish_metrics(self, step, values, time_ms=None):
        """Publishes one MetricUpdate at ``step``. Values that are not finite numbers and names
        that are not valid metric names are left out; returns False when nothing was left."""
        metrics = collections.OrderedDict()
        for name, value in (values or {}).items():
            _put(metrics, str(name), value)
        if self.dropped:
            _put(metrics, DROPPED_METRIC, self.dropped)
        if not metrics:
            return False
        message = collections.OrderedDict([
            ("v", 1), ("session", self.session), ("attempt", self.attempt), ("step", max(0, int(step))),
            ("time", now_millis() if time_ms is None else int(time_ms)), ("metrics", metrics)])
        self._publish(METRICS, message, METRICS_MAXLEN)
        return True

    def publish_game(self, game):
        """Publishes a GameState (a dict with gameId, ply, sfen, lastMove, sideToMove, moves,
        result; ``v``, ``session`` and a missing ``time`` are filled in). GameState has no
        attempt field."""
        message = collections.OrderedDict([("v", 1), ("session", self.session)])
        for key, value in game.items():
            if key not in ("v", "session"):
                message[key] = value
        if message.get("time") is None:
            message["time"] = now_millis()
        self._publish(GAMES, message, GAMES_MAXLEN)

    def publish_event(self, type, state=None, reason=None, checkpoint=None):
        """Publishes a LifecycleEvent of this session and attempt with source "trainer"."""
        event = collections.OrderedDict([("v", 1), ("type", type), ("session", self.session),
                                         ("attempt", self.attempt), ("time", now_millis()), ("source", SOURCE)])
        if state is not None:
            event["state"] = state
        if reason is not None:
            event["reason"] = reason
        if checkpoint is not None:
            event["checkpoint"] = checkpoint
        self._publish(EVENTS, event, EVENTS_MAXLEN)

    def _publish(self, stream, message, maxlen):
        """Queues a message and makes one delivery try (none while backing off after a failure)."""
        payload = json.dumps(message, allow_nan=False, separators=(",", ":"))
        with self._lock:
            if len(self._pending) >= self._max_pending:
                self._pending.popleft()
                self.dropped += 1
            self._pending.append(_Pending(stream, maxlen, payload))
            self.flush()

    def flush(self, timeout=None):
        """Sends queued messages in order, 64 per round trip. Without a timeout one failure ends
        the try (the next publish tries again after the backoff); with one it retries until the
        timeout has passed. Returns True when nothing is left queued."""
        deadline = None if timeout is None else time.monotonic() + float(timeout)
        with self._lock:
            while self._pending:
                if not (self._redis.connected or self._backoff.ready()):
                    if deadline is None or time.monotonic() >= deadline:
                        return False
                    time.sleep(max(0.0, min(self._backoff.seconds_left(), deadline - time.monotonic())))
                    continue
                batch = list(itertools.islice(self._pending, 64))
                try:
                    replies = self._redis.pipeline(
                        [("XADD", p.stream, "MAXLEN", "~", str(p.maxlen), "*", PAYLOAD_FIELD, p.payload) for p in batch])
                    self._connected_ok()
                except (OSError, ValueError) as e:
                    self._connection_failed(e)
                    if deadline is None or time.monotonic() >= deadline:
                        return False
                    continue
                for p, reply in zip(batch, replies):
                    if isinstance(reply, RedisError):
                        log.warning("keisei-bridge: Redis refused a message for %s: %s", p.stream, reply)
                    self._pending.popleft()
            return True

    @property
    def pending(self):
        """Messages queued but not delivered yet."""
        return len(self._pending)

    def _connected_ok(self):
        if self._outage_logged:
            log.warning("keisei-bridge: Redis reachable again (%d message(s) dropped so far)", self.dropped)
        self._outage_logged = False
        self._backoff.succeeded()

    def _connection_failed(self, error):
        self._redis.close()
        self._backoff.failed()
        if not self._outage_logged:
            log.warning("keisei-bridge: Redis at %s unreachable, buffering (training goes on): %s",
                        redact(self.redis_url), error)
            self._outage_logged = True

    # -- control ------------------------------------------------------------------------------

    def read_control(self, block_ms=0):
        """This session's valid control commands (dicts) after the cursor, in order; the cursor
        moves past everything read, malformed entries included (they are logged). With
        ``block_ms`` > 0 waits up to that long for a command (also while Redis is unreachable);
        with 0 does not wait. Never raises for Redis trouble: returns []."""
        block_ms = max(0, int(block_ms))
        with self._control_lock:
            if self._cursor is None:
                # Redis was unreachable at construction: start after whatever is there now rather
                # than replaying an earlier attempt's commands.
                self._init_cursor()
            if self._cursor is None or not self._control_backoff.ready():
                if block_ms:
                    time.sleep(min(block_ms / 1000.0, max(0.05, self._control_backoff.seconds_left())))
                return []
            args = ["XREAD", "COUNT", "16"]
            if block_ms:
                args += ["BLOCK", str(block_ms)]
            args += ["STREAMS", control_stream(self.session), self._cursor]
            try:
                reply = self._control.execute(*args, timeout=self.socket_timeout + block_ms / 1000.0)
                self._control_backoff.succeeded()
            except (OSError, ValueError):
                self._control.close()
                self._control_backoff.failed()
                return []  # the publishing side logs outages
            except RedisError as e:
                log.warning("keisei-bridge: cannot read the control stream: %s", e)
                return []
            commands = []
            for _stream, entries in reply or []:
                for entry_id, fields in entries:
                    self._cursor = entry_id
                    command = self._decode_command(entry_id, fields)
                    if command is not None:
                        commands.append(command)
            return commands

    @property
    def control_cursor(self):
        return self._cursor

    def _init_cursor(self):
        if not self._control_backoff.ready():
            return
        try:
            entries = self._control.execute("XREVRANGE", control_stream(self.session), "+", "-", "COUNT", "1")
            self._cursor = entries[0][0] if entries else "0-0"
            self._control_backoff.succeeded()
        except (OSError, ValueError):
            self._control.close()
            self._control_backoff.failed()
        except RedisError as e:
            log.warning("keisei-bridge: cannot read the control stream: %s", e)

    def _decode_command(self, entry_id, fields):
        try:
            data = dict(zip(fields[0::2], fields[1::2])).get(PAYLOAD_FIELD)
            cmd = json.loads(data)
            if not isinstance(cmd, dict) or cmd.get("v") != 1:
                raise ValueError("unsupported version %r" % (cmd.get("v") if isinstance(cmd, dict) else None))
            if cmd.get("type") not in CONTROL_TYPES:
                raise ValueError("unknown control command %r" % (cmd.get("type"),))
            if cmd.get("session") != self.session:
                raise ValueError("command for session %r" % (cmd.get("session"),))
            log.warning("keisei-bridge: control: %s (%s)", cmd["type"], cmd.get("requestId"))
            return cmd
        except Exception as e:
            log.warning("keisei-bridge: ignoring malformed control command %s: %s", entry_id, e)
            return None

    # -- heartbeat ----------------------------------------------------------------------------

    def start_heartbeat(self):
        """Starts a daemon thread that sets ``keisei:heartbeat:{session}`` (the process id, TTL
        ``heartbeat_ttl``) now and every TTL/3, on its own connection. Idempotent."""
        if self._hb_thread is not None and self._hb_thread.is_alive():
            return
        self._hb_stop.clear()
        self._hb_thread = threading.Thread(target=self._heartbeat_loop, name="keisei-bridge-heartbeat", daemon=True)
        self._hb_thread.start()

    def stop_heartbeat(self, delete=True):
        """Stops the heartbeat thread; with ``delete`` removes the key (else it expires)."""
        self._hb_stop.set()
        thread, self._hb_thread = self._hb_thread, None
        if thread is not None:
            thread.join(timeout=self.socket_timeout + 1)
        if delete:
            with self._lock:
                if self._redis.connected or self._backoff.ready():
                    try:
                        self._redis.execute("DEL", heartbeat_key(self.session))
                    except (OSError, RedisError, ValueError):
                        self._redis.close()  # the key expires on its own

    def _heartbeat_loop(self):
        """Silent about outages: publishing reports them."""
        client = RedisClient(self.redis_url, timeout=self.socket_timeout)
        period = max(0.2, self.heartbeat_ttl / 3.0)
        try:
            while not self._hb_stop.is_set():
                try:
                    client.execute("SET", heartbeat_key(self.session), str(os.getpid()), "EX", str(self.heartbeat_ttl))
                except Exception:
                    client.close()
                if self._hb_stop.wait(period):
                    return
        finally:
            client.close()

    # -- the end ------------------------------------------------------------------------------

    def close(self):
        """Delivers queued messages (for at most flush_timeout), stops the heartbeat and deletes
        its key, disconnects. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self.flush(timeout=self.flush_timeout)
            self.stop_heartbeat(delete=True)
        except Exception as e:
            log.warning("keisei-bridge: error while closing: %s", e)
        finally:
            with self._lock:
                self._redis.close()
            self._control.close()
        if self._pending:
            log.warning("keisei-bridge: %d message(s) could not be delivered to %s", len(self._pending),
                        redact(self.redis_url))


def _env_kwargs(environ, overrides):
    """The StreamSink arguments from training-service's variables (empty values count as unset)."""
    env = os.environ if environ is None else environ

    def get(name):
        value = env.get(name)
        return value if value not in (None, "") else None

    missing = [n for n in ("KEISEI_REDIS_URL", "KEISEI_SESSION_ID") if get(n) is None]
    if missing and not all(k in overrides for k in ("redis_url", "session")):
        raise ValueError("missing environment variable(s) %s for the Keisei Web UI bridge" % ", ".join(missing))
    kwargs = {
        "redis_url": get("KEISEI_REDIS_URL"),
        "session": get("KEISEI_SESSION_ID"),
        "attempt": int(get("KEISEI_ATTEMPT") or 1),
        "control_cursor": get("KEISEI_CONTROL_CURSOR"),
    }
    if get("KEISEI_HEARTBEAT_TTL_SECONDS") is not None:
        kwargs["heartbeat_ttl"] = float(get("KEISEI_HEARTBEAT_TTL_SECONDS"))
    return kwargs


def checkpoint_info(path, step, metrics=None):
    """The ``checkpoint`` of a checkpoint.saved event: absolute path, step, size and the sha256
    of the file's own bytes; with ``metrics`` (name -> finite number, e.g. the latest evaluation
    before the save), also ``metrics``. That part is additive (consumers of the protocol ignore
    fields they do not know): it is the metadata a Keisei checkpoint cannot carry in its own file."""
    path = os.path.abspath(os.fspath(path))
    size, digest = _file_digest(path)
    info = collections.OrderedDict([("path", path), ("step", int(step)), ("sizeBytes", size), ("sha256", digest)])
    clean = collections.OrderedDict()
    for name, value in (metrics or {}).items():
        _put(clean, str(name), value)
    if clean:
        info["metrics"] = clean
    return info


# --------------------------------------------------------------------------------------------
# Stopping mid-epoch: one KeyboardInterrupt, so that Keisei's own interrupt clean-up runs
# --------------------------------------------------------------------------------------------


class _FinishRequest(object):
    """A stop or pause, and where it came from (a control command, SIGTERM, SIGINT, request_stop())."""

    __slots__ = ("kind", "source")

    def __init__(self, kind, source):
        self.kind, self.source = kind, source

    @property
    def exit_code(self):
        return EXIT_PAUSED if self.kind == "pause" else EXIT_OK


class _Interrupter(object):
    """Turns the first stop or pause into one KeyboardInterrupt in the main thread.

    Keisei 1ea1111 already knows what to do with a KeyboardInterrupt in its loop:
    ``TrainingLoopManager.run`` logs and re-raises it, ``Trainer.run_training_loop`` catches it, and
    its ``finally`` runs ``_finalize_training``, which saves ``checkpoint_ts{global_timestep}.pth``
    (``ModelManager.save_final_checkpoint``). Interrupting the main thread therefore ends a run
    mid-epoch, within moments, with Keisei's own checkpoint; waiting for the end of the epoch (2048
    steps, minutes on a CPU) would outlast training-service's stop grace.

    The interrupt is raised only while armed (the training loop runs), at most once (a second one
    would cut Keisei's clean-up short), and never inside the bridge's own code, where it would leave
    a Redis reply unread: there it waits for the end of that code. It reaches the main thread as a
    SIGINT (``_thread.interrupt_main``), so the SIGINT handler installed here makes the decision;
    SIGTERM and an outside SIGINT are stops, as for the built-in trainer.
    """

    def __init__(self):
        self._lock = threading.RLock()  # re-entered by a signal handler that runs on the main thread
        self.request = None
        self._armed = False
        self._raised = False
        self._bridge_depth = 0
        self._deferred = False
        self._previous_handlers = {}

    def request_finish(self, kind, source):
        """Records a stop or pause; the first one wins. Returns True for the first."""
        with self._lock:
            if self.request is not None:
                return False
            self.request = _FinishRequest(kind, source)
            return True

    def arm(self):
        with self._lock:
            self._armed = True

    def disarm(self):
        with self._lock:
            self._armed = False

    @staticmethod
    def interrupt_main_thread():
        """From any thread: the main thread runs the SIGINT handler (raise_if_due) at its next bytecode."""
        _thread.interrupt_main()

    def raise_if_due(self):
        """On the main thread: raises KeyboardInterrupt when a request waits, the loop runs, and none
        was raised before."""
        with self._lock:
            if self.request is None or not self._armed or self._raised:
                return
            if self._bridge_depth:
                self._deferred = True
                return
            self._raised = True
            request = self.request
        raise KeyboardInterrupt("Keisei Web UI %s (%s)" % (request.kind, request.source))

    @contextlib.contextmanager
    def bridge_code(self):
        """Holds the interrupt back while the main thread runs the bridge's own code."""
        with self._lock:
            self._bridge_depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._bridge_depth -= 1
                due = self._bridge_depth == 0 and self._deferred
                if due:
                    self._deferred = False
            if due:
                self.raise_if_due()

    def install_signal_handlers(self):
        """SIGINT (which our own interrupt arrives as) and SIGTERM. Main thread only: False elsewhere."""
        if threading.current_thread() is not threading.main_thread():
            return False
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signum not in self._previous_handlers:
                self._previous_handlers[signum] = signal.getsignal(signum)
            signal.signal(signum, self._on_signal)
        return True

    def restore_signal_handlers(self):
        if threading.current_thread() is not threading.main_thread():
            return
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self._previous_handlers.clear()

    def _on_signal(self, signum, frame):
        if self.request_finish("stop", signal.Signals(signum).name):
            log.warning("keisei-bridge: %s: stopping", signal.Signals(signum).name)
        self.raise_if_due()


# --------------------------------------------------------------------------------------------
# Keisei's own checkpoint files
# --------------------------------------------------------------------------------------------

_KEISEI_CHECKPOINT = re.compile(r"^checkpoint_ts(\d+)\.pth$")
KEISEI_FINAL_MODEL = "final_model.pth"


class _KeiseiCheckpointFiles(object):
    """The checkpoints Keisei 1ea1111 writes into the run's ``model_dir`` by itself, each version of a
    file reported once: ``checkpoint_ts{step}.pth`` (CheckpointCallback, and ``_finalize_training`` at
    every end of the loop) and ``final_model.pth`` (``_finalize_training`` when the run is complete).

    A file is reported only once it is a complete torch archive (a zip with its end record), so a
    file cut short (for example by a kill during ``torch.save``, which writes in place) is never offered
    for resume.
    """

    def __init__(self):
        self._known = {}  # path -> (size, mtime_ns) at the start or when reported
        self._incomplete_logged = set()

    def remember_existing(self, directory):
        """Files already there (an earlier attempt's) are not new."""
        for path, _ in self._files(directory, final_step=0):
            self._known[path] = _signature(path)

    def new_complete(self, directory, final_step):
        """New or rewritten complete checkpoints as (path, step), by step, final_model.pth last."""
        found = []
        for path, step in self._files(directory, final_step):
            signature = _signature(path)
            if signature is None or self._known.get(path) == signature:
                continue
            if not zipfile.is_zipfile(path):
                if path not in self._incomplete_logged:
                    self._incomplete_logged.add(path)
                    log.warning("keisei-bridge: %s is not a complete torch checkpoint; not announcing it", path)
                continue
            found.append((path, step))
        found.sort(key=lambda ps: (os.path.basename(ps[0]) == KEISEI_FINAL_MODEL, ps[1]))
        return found

    def mark_reported(self, path):
        self._known[path] = _signature(path)

    @staticmethod
    def _files(directory, final_step):
        if not directory:
            return []
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            return []
        files = []
        for name in names:
            match = _KEISEI_CHECKPOINT.match(name)
            if match:
                files.append((os.path.join(directory, name), int(match.group(1))))
            elif name == KEISEI_FINAL_MODEL:
                files.append((os.path.join(directory, name), final_step))
        return files


def _signature(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


# --------------------------------------------------------------------------------------------
# Keisei's own evaluation: its results as metrics (keisei/eval/*), and in checkpoint metadata
# --------------------------------------------------------------------------------------------

# The names (io.keisei.contracts.MetricNames.KEISEI_EVAL_*). Keisei's Elo is its own scale (every
# player starts at 1500, K = 32 online updates against its own opponents): it is not comparable with
# the evaluation league's Bradley-Terry ratings, which are anchored at random = 0.
EVAL_WIN_RATE = "keisei/eval/win_rate"
EVAL_DRAW_RATE = "keisei/eval/draw_rate"
EVAL_LOSS_RATE = "keisei/eval/loss_rate"
EVAL_GAMES = "keisei/eval/games"
EVAL_AVG_GAME_LENGTH = "keisei/eval/avg_game_length"
EVAL_ELO = "keisei/eval/elo"
EVAL_OPPONENT_ELO = "keisei/eval/opponent_elo"
EVAL_STEP = "keisei/eval/step"  # checkpoint metadata only: the step the evaluation ran at
EVAL_VS_PREFIX = "keisei/eval/vs/"  # + opponent + EVAL_VS_SUFFIX: the win rate against one opponent
EVAL_VS_SUFFIX = "/win_rate"
MAX_EVAL_OPPONENTS = 16  # per evaluation: bounds the number of series a tournament can create
# The built-in trainer's names (MetricNames.EVAL_*) for the same quantities, used as well when every
# game of an evaluation was against Keisei's random player: the win rate against a uniformly random
# legal-move player means the same in both programs.
BUILT_IN_VS_RANDOM = (("eval/win_rate_vs_random", EVAL_WIN_RATE), ("eval/draw_rate", EVAL_DRAW_RATE),
                      ("eval/games", EVAL_GAMES))
BUILT_IN_EVAL_STEP = "eval/step"

# The evaluation entry points of Keisei's EvaluationManager (keisei/evaluation/core_manager.py, in
# 1ea1111 and up to the Python trainer's removal): its EvaluationCallback calls
# evaluate_current_agent, its AsyncEvaluationCallback evaluate_current_agent_async.
EVALUATION_METHODS = ("evaluate_current_agent", "evaluate_current_agent_async", "evaluate_current_agent_in_memory",
                      "evaluate_checkpoint", "evaluate_checkpoint_async")
_OBSERVED = "_keisei_webui_observed"


def _field(obj, name):
    """obj[name] for a dict, else obj.name; None when missing or when reading it raises."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    try:
        return getattr(obj, name, None)
    except Exception:
        return None


def _first_number(obj, *names):
    for name in names:
        n = _number(_field(obj, name))
        if n is not None:
            return n
    return None


def _opponent_label(name):
    """An opponent's name reduced to metric-name characters, short enough for keisei/eval/vs/<it>/win_rate."""
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).strip("_") or "unknown"
    return label[:128 - len(EVAL_VS_PREFIX) - len(EVAL_VS_SUFFIX)]


def keisei_evaluation_metrics(result):
    """Keisei's evaluation result as our metrics, or None when ``result`` does not look like one.

    ``result`` is what Keisei's ``EvaluationManager.evaluate_*`` returns: an ``EvaluationResult``
    (``summary_stats`` with ``win_rate``, ``draw_rate``, ``loss_rate``, ``total_games``,
    ``avg_game_length``, ``agent_wins``, ``opponent_wins``, ``draws``; ``games``, each with ``winner``
    (0 the agent, 1 the opponent, None a draw) and ``opponent_info`` (``name``, ``type``);
    ``analytics_data``, where the ladder strategy leaves its Elo), its ``to_dict()``, or a flat dict
    of the W&B keys Keisei logs (``evaluation/win_rate``, ``evaluation/total_games``, ...).

    Returns keisei/eval/win_rate, draw_rate, loss_rate (when games were played), games,
    avg_game_length, keisei/eval/vs/<opponent>/win_rate per opponent (from the games), elo and
    opponent_elo when the result carries Keisei's ladder ratings, and the built-in names
    eval/win_rate_vs_random, eval/draw_rate, eval/games when every game was against the random player.
    """
    if result is None or isinstance(result, (str, bytes, bool, int, float)):
        return None
    stats = _field(result, "summary_stats")
    flat = stats is None and isinstance(result, dict)
    source = result if flat else stats
    if source is None:
        return None
    key = (lambda n: "evaluation/" + n) if flat else (lambda n: n)
    wins = _first_number(source, key("agent_wins"), key("wins"))
    losses = _first_number(source, key("opponent_wins"), key("losses"))
    draws = _first_number(source, key("draws"))
    games_played = _field(result, "games")
    if not isinstance(games_played, (list, tuple)):
        games_played = []
    total = _first_number(source, key("total_games"))
    if total is None and None not in (wins, losses, draws):
        total = wins + losses + draws
    if total is None and games_played:
        total = float(len(games_played))
    rates = {}
    for name, rate_key, count in ((EVAL_WIN_RATE, "win_rate", wins), (EVAL_DRAW_RATE, "draw_rate", draws),
                                  (EVAL_LOSS_RATE, "loss_rate", losses)):
        rate = _first_number(source, key(rate_key))
        if rate is None and count is not None and total:
            rate = count / total
        if rate is not None:
            rates[name] = rate
    if not rates and total is None:
        return None
    metrics = collections.OrderedDict()
    if total:  # an evaluation that played no game has no rates (Keisei reports 0.0 for them)
        if EVAL_LOSS_RATE not in rates and EVAL_WIN_RATE in rates and EVAL_DRAW_RATE in rates:
            rates[EVAL_LOSS_RATE] = max(0.0, 1.0 - rates[EVAL_WIN_RATE] - rates[EVAL_DRAW_RATE])
        for name in (EVAL_WIN_RATE, EVAL_DRAW_RATE, EVAL_LOSS_RATE):
            if name in rates:
                _put(metrics, name, rates[name])
    if total is not None:
        _put(metrics, EVAL_GAMES, total)
    if total:
        _put(metrics, EVAL_AVG_GAME_LENGTH, _first_number(source, key("avg_game_length")))

    # The opponents, from the games themselves (what was played, whatever the strategy).
    per_opponent = collections.OrderedDict()
    all_random = bool(games_played)
    for game in games_played:
        opponent = _field(game, "opponent_info")
        name = _field(opponent, "name")
        kind = _field(opponent, "type")
        name = str(name) if name is not None else (str(kind) if kind is not None else "unknown")
        if str(kind if kind is not None else name).lower() != "random":
            all_random = False
        played, won = per_opponent.get(name, (0, 0))
        per_opponent[name] = (played + 1, won + (1 if _field(game, "winner") == 0 else 0))
    for name, (played, won) in list(per_opponent.items())[:MAX_EVAL_OPPONENTS]:
        _put(metrics, EVAL_VS_PREFIX + _opponent_label(name) + EVAL_VS_SUFFIX, won / played)

    # Ratings the result carries itself (Keisei's ladder strategy: its own EloTracker, 1500, K = 32).
    analytics = _field(result, "analytics_data")
    _put(metrics, EVAL_ELO, _field(_field(analytics, "ladder_specific_analytics"), "final_agent_rating"))
    ratings = _field(analytics, "final_elo_snapshot")
    if isinstance(ratings, dict) and len(per_opponent) == 1:
        _put(metrics, EVAL_OPPONENT_ELO, ratings.get(next(iter(per_opponent))))

    if all_random and total:
        for ours, keisei in BUILT_IN_VS_RANDOM:
            if keisei in metrics:
                metrics[ours] = metrics[keisei]
    return metrics


def _snapshot_elo(snapshot):
    """Keisei's ``trainer.evaluation_elo_snapshot`` (its EloRegistry, ``elo_ratings.json``:
    ``current_rating``, ``opponent_rating``, ``opponent_id``) as keisei/eval/elo and opponent_elo."""
    metrics = collections.OrderedDict()
    _put(metrics, EVAL_ELO, _field(snapshot, "current_rating"))
    _put(metrics, EVAL_OPPONENT_ELO, _field(snapshot, "opponent_rating"))
    return metrics


def _snapshot_key(snapshot):
    return tuple(repr(_field(snapshot, k)) for k in ("current_id", "current_rating", "opponent_id", "opponent_rating"))


class _KeiseiEvaluations(object):
    """Keisei's own evaluation results, picked up as they happen, without changing Keisei.

    Keisei (1ea1111 and later Python versions) keeps no evaluation result anywhere the bridge could read
    it: its EvaluationCallback gets an ``EvaluationResult`` from ``trainer.evaluation_manager
    .evaluate_current_agent(agent)`` and only logs its text (W&B gets ``{"eval_summary": str(result)}``,
    and only when W&B is on). So the bridge observes that object's evaluation methods
    (EVALUATION_METHODS): each is replaced, on this one manager object only (Keisei's classes and files
    are untouched), by a function that calls the original with the same arguments and hands back its
    result or exception unchanged, noting the result and the global step it was produced at. Coroutine
    methods (the async evaluation) stay coroutines. A manager that is missing, or whose methods cannot
    be replaced, just means no results.

    The Elo comes from ``trainer.evaluation_elo_snapshot``, which Keisei's evaluation callbacks set after
    each evaluation from its registry (``evaluation.elo_registry_path``); a new snapshot is attached to
    the evaluation it follows (or published alone when no result was seen).

    Results are published from the bridge's own step callback (on Keisei's main thread, after Keisei's
    callbacks), each at the step it was produced at: Keisei's async evaluation runs after the step
    callbacks, so its result goes out one epoch later, still at its own step.
    """

    HISTORY = 64

    def __init__(self, step_of):
        self._step_of = step_of
        self._lock = threading.Lock()
        self._captured = []  # [(step, metrics)] not published yet
        self._last_result = None  # the last result recorded: nested entry points hand the same one up
        self._snapshot = None
        self._snapshot_key = None
        self._published = collections.deque(maxlen=self.HISTORY)  # [(step, metrics)]
        self._warned = set()

    def watch(self, trainer):
        """Observes ``trainer.evaluation_manager`` (again when Keisei replaced it); idempotent, never raises."""
        manager = _attr(trainer, "evaluation_manager")
        if manager is None:
            return
        for name in EVALUATION_METHODS:
            try:
                self._observe(manager, name, trainer)
            except Exception as e:
                if name not in self._warned:
                    self._warned.add(name)
                    log.warning("keisei-bridge: cannot observe Keisei's %s (its evaluations are not published): %s",
                                name, e)

    def note_snapshot(self, trainer):
        """The snapshot there now is not news (it is an earlier run's, or None)."""
        snapshot = _attr(trainer, "evaluation_elo_snapshot")
        self._snapshot, self._snapshot_key = snapshot, _snapshot_key(snapshot) if snapshot is not None else None

    def _observe(self, manager, name, trainer):
        original = getattr(manager, name, None)
        if not callable(original) or getattr(original, _OBSERVED, False):
            return
        record = self.record

        if inspect.iscoroutinefunction(original):
            @functools.wraps(original)
            async def observed(*args, **kwargs):
                result = await original(*args, **kwargs)
                record(result, trainer=trainer)
                return result
        else:
            @functools.wraps(original)
            def observed(*args, **kwargs):
                result = original(*args, **kwargs)
                if inspect.isawaitable(result):
                    return _recorded_when_done(result, record, trainer)
                record(result, trainer=trainer)
                return result

        setattr(observed, _OBSERVED, True)
        setattr(manager, name, observed)

    def record(self, result, step=None, trainer=None):
        """Notes one evaluation result (see keisei_evaluation_metrics); never raises. The result an
        observed method returns is noted once even when it went through several of them (Keisei's
        evaluate_current_agent_in_memory falls back to evaluate_current_agent_async, for example)."""
        try:
            with self._lock:
                if result is not None and result is self._last_result:
                    return False
            metrics = keisei_evaluation_metrics(result)
            if not metrics:
                return False
            if step is None:
                step = self._step_of(trainer)
            with self._lock:
                self._last_result = result
                self._captured.append((max(0, int(step)), metrics))
            return True
        except Exception as e:
            log.warning("keisei-bridge: cannot read Keisei's evaluation result (not published): %s", e)
            return False

    def take(self, trainer):
        """The evaluations not published yet, [(step, metrics)] in order, with Keisei's new Elo snapshot
        attached to the last one (or alone at the current step)."""
        with self._lock:
            captured, self._captured = self._captured, []
        snapshot = _attr(trainer, "evaluation_elo_snapshot")
        if snapshot is not None:
            key = _snapshot_key(snapshot)
            if snapshot is not self._snapshot or key != self._snapshot_key:
                self._snapshot, self._snapshot_key = snapshot, key
                elo = _snapshot_elo(snapshot)
                if elo and captured:
                    captured[-1][1].update(elo)
                elif elo:
                    captured.append((self._step_of(trainer), elo))
        for entry in captured:
            self._published.append(entry)
        return captured

    def latest_before(self, step):
        """The latest published evaluation at or before ``step`` (for a checkpoint of that step), with its
        step under keisei/eval/step (and eval/step when it was against the random player), or {}."""
        for at, metrics in reversed(self._published):
            if at <= step and (EVAL_GAMES in metrics or EVAL_WIN_RATE in metrics):
                out = collections.OrderedDict(metrics)
                out[EVAL_STEP] = at
                if BUILT_IN_VS_RANDOM[0][0] in metrics:
                    out[BUILT_IN_EVAL_STEP] = at
                return out
        return {}


async def _recorded_when_done(awaitable, record, trainer):
    result = await awaitable
    record(result, trainer=trainer)
    return result


def _describe_evaluation(step, metrics):
    """One log line: Keisei's evaluation at ``step``."""
    parts = []
    if EVAL_GAMES in metrics:
        parts.append("%d games" % metrics[EVAL_GAMES])
    for name, label in ((EVAL_WIN_RATE, "win"), (EVAL_DRAW_RATE, "draw"), (EVAL_LOSS_RATE, "loss")):
        if name in metrics:
            parts.append("%s %.3f" % (label, metrics[name]))
    opponents = [n[len(EVAL_VS_PREFIX):-len(EVAL_VS_SUFFIX)] for n in metrics
                 if n.startswith(EVAL_VS_PREFIX) and n.endswith(EVAL_VS_SUFFIX)]
    if opponents:
        parts.append("vs " + ", ".join(opponents))
    if EVAL_ELO in metrics:
        parts.append("Keisei Elo %.1f" % metrics[EVAL_ELO])
    if EVAL_OPPONENT_ELO in metrics:
        parts.append("opponent %.1f" % metrics[EVAL_OPPONENT_ELO])
    return "keisei-bridge: Keisei's own evaluation at step %d: %s" % (step, ", ".join(parts) or "(no numbers)")


# --------------------------------------------------------------------------------------------
# The callback
# --------------------------------------------------------------------------------------------


class KeiseiWebUICallback(object):
    """A Keisei step callback that publishes a run to Keisei Web UI and obeys its commands.

    Use it through ``train_webui.py``, or by hand::

        bridge = KeiseiWebUICallback.from_env()
        trainer.callback_manager.add_callback(bridge)
        bridge.on_training_start(trainer)          # session.started now; stop/pause from here on
        trainer.run_training_loop()
        sys.exit(bridge.finish(trainer))           # checkpoints announced; 0, 10 or 1

    :param redis_url: ``redis://[[user]:password@]host:port[/db]`` (``rediss://`` for TLS)
    :param session: the Keisei Web UI session id
    :param attempt: the attempt number (1 for the first start, +1 per resume)
    :param checkpoint_dir: where checkpoints asked for with checkpoint_now go (and the one saved when
        Keisei's own clean-up did not run); default: the trainer's ``model_dir``
    :param control_cursor: the control stream id after which this attempt's commands start;
        default: the newest id at construction (``XREVRANGE + - COUNT 1``), or ``0-0``
    :param heartbeat_ttl: seconds the heartbeat key lives without a refresh
    :param game_every_seconds: at most one game state per this many seconds
    :param save_checkpoint: ``save_checkpoint(trainer) -> path``; default: Keisei's own mechanisms
    :param max_pending: messages kept while Redis is unreachable (the oldest are dropped beyond)
    :param heartbeat_thread: keep the heartbeat alive from a daemon thread (from construction on)
    :param socket_timeout: seconds for connecting to Redis and for each reply
    :param flush_timeout: seconds spent at most delivering queued messages before an exit
    :param sink: a StreamSink to publish through (then the connection arguments are not used)
    :param control_poll_ms: how long the control listener's blocking read waits at a time
    """

    def __init__(self, redis_url=None, session=None, attempt=1, checkpoint_dir=None, control_cursor=None,
                 heartbeat_ttl=10, game_every_seconds=0.25, save_checkpoint=None, max_pending=10_000,
                 heartbeat_thread=True, socket_timeout=2.0, flush_timeout=5.0, sink=None, control_poll_ms=500):
        if sink is None:
            sink = StreamSink(redis_url, session, attempt=attempt, control_cursor=control_cursor,
                              heartbeat_ttl=heartbeat_ttl, max_pending=max_pending, socket_timeout=socket_timeout,
                              flush_timeout=flush_timeout)
        self._sink = sink
        self.session = sink.session
        self.attempt = sink.attempt
        self.checkpoint_dir = checkpoint_dir
        self.game_every_seconds = float(game_every_seconds)
        self.save_checkpoint = save_checkpoint
        self._control_poll_ms = max(50, int(control_poll_ms))

        self._interrupter = _Interrupter()
        self._keisei_files = _KeiseiCheckpointFiles()
        self._evaluations = _KeiseiEvaluations(self._step)
        self._trainer = None
        self._last_epoch = None  # (step, metrics) of the last epoch published
        self._checkpoint_requested = threading.Event()
        self._listener = None
        self._listener_stop = threading.Event()

        self._started = False
        self._finish_lock = threading.Lock()
        self._exit_code = None
        self._closed = False
        self._last_checkpoint = None  # checkpoint info of the newest checkpoint announced by this attempt
        self._last_step = None
        self._last_step_time = None
        self._last_game_time = None
        self._calls = 0

        if heartbeat_thread:
            self._sink.start_heartbeat()

    @classmethod
    def from_env(cls, environ=None, **overrides):
        """Builds the callback from the variables training-service sets when it launches a custom
        trainer: KEISEI_REDIS_URL, KEISEI_SESSION_ID (required), KEISEI_ATTEMPT,
        KEISEI_CHECKPOINT_DIR, KEISEI_CONTROL_CURSOR, KEISEI_HEARTBEAT_TTL_SECONDS (optional).
        Keyword arguments override them (e.g. ``save_checkpoint=...``)."""
        env = os.environ if environ is None else environ
        kwargs = _env_kwargs(env, overrides)
        kwargs["checkpoint_dir"] = env.get("KEISEI_CHECKPOINT_DIR") or None
        kwargs.update(overrides)
        return cls(**kwargs)

    @property
    def sink(self):
        return self._sink

    @property
    def dropped(self):
        return self._sink.dropped

    @property
    def finish_requested(self):
        """"stop" or "pause" once one was asked for (control command, signal, request_stop), else None."""
        request = self._interrupter.request
        return request.kind if request is not None else None

    # ---------------------------------------------------------------------------------------
    # The run: start, every epoch, finish
    # ---------------------------------------------------------------------------------------

    def on_training_start(self, trainer=None, _after_epoch=False):
        """Call it just before ``trainer.run_training_loop()`` (Keisei has no such hook): publishes
        ``session.started`` at once (reason "resumed at step N" when the trainer starts from a
        checkpoint), notes the checkpoints already in the trainer's model_dir, and from then on
        a stop or pause interrupts the loop (SIGINT/SIGTERM handlers when called on the main thread,
        and a thread that reads the control stream). Called by the first on_step_end if not before."""
        if self._started:
            return
        self._started = True
        self._trainer = trainer
        try:
            self._announce_start(trainer, _after_epoch)
            if not _after_epoch:
                self._keisei_files.remember_existing(self._model_dir(trainer))
                self._evaluations.note_snapshot(trainer)
            self._evaluations.watch(trainer)
        except Exception as e:  # never let the UI break training
            log.warning("keisei-bridge: could not announce the start: %s", e)
        self.install_signal_handlers()
        self._interrupter.arm()
        self._start_listener()

    def on_step_end(self, trainer):
        """Called by Keisei's CallbackManager after every PPO epoch (after Keisei's own callbacks):
        Keisei's evaluations since the last call, metrics, the board, checkpoint_now, and Keisei's new
        checkpoint files."""
        if self._exit_code is not None:
            return
        with self._interrupter.bridge_code():
            try:
                self._calls += 1
                self._trainer = trainer
                if not self._started:
                    self.on_training_start(trainer, _after_epoch=True)
                self._evaluations.watch(trainer)  # cheap; picks up a manager Keisei replaced
                self._publish_evaluations(trainer)
                self._publish_metrics(trainer)
                self.publish_game_state(trainer)
                if self._checkpoint_requested.is_set():
                    self._checkpoint_requested.clear()
                    self._checkpoint(trainer)
                self._announce_keisei_checkpoints(trainer)
            except Exception as e:  # never let the UI break training
                log.warning("keisei-bridge: step callback failed (training goes on): %s", e)

    def finish(self, trainer, error=None):
        """Ends the bridge's part once ``run_training_loop`` has returned (or raised ``error``):
        announces Keisei's new checkpoints, then

        * after a stop or pause: makes sure a checkpoint of the current step is announced (the one
          Keisei's interrupt clean-up wrote, else one saved here) and returns 0 (stop) or 10 (pause),
          or 1 when there is none;
        * after the full ``total_timesteps``: publishes ``session.completed`` (only here, so once)
          and returns 0;
        * otherwise (an error, or a loop that ended early by itself): returns 1.

        Then delivers what is queued, removes the heartbeat and disconnects. Idempotent."""
        with self._finish_lock:
            if self._exit_code is not None:
                return self._exit_code
            self._interrupter.disarm()
            self._stop_listener()
            try:
                code = self._outcome(trainer, error)
            except Exception as e:
                log.error("keisei-bridge: could not finish cleanly: %s", e)
                code = EXIT_FAILED
            self._exit_code = code
        self.close()
        return code

    def on_training_end(self, trainer=None):
        """The earlier name of finish(); returns the exit code."""
        return self.finish(trainer)

    def _outcome(self, trainer, error):
        if not self._started:
            self._announce_start(trainer, False)
        try:  # an async evaluation that ran after the last step callback
            self._publish_evaluations(trainer)
        except Exception as e:
            log.warning("keisei-bridge: could not publish Keisei's last evaluation: %s", e)
        self._announce_keisei_checkpoints(trainer)
        step = self._step(trainer)
        request = self._interrupter.request
        if request is not None:
            info = self._checkpoint_of_step(trainer, step)
            if info is None:
                log.error("keisei-bridge: %s requested (%s) but no checkpoint could be written; exiting with %d",
                          request.kind, request.source, EXIT_FAILED)
                return EXIT_FAILED
            log.warning("keisei-bridge: %s at step %d (%s; checkpoint %s)",
                        "paused" if request.kind == "pause" else "stopped", step, request.source, info["path"])
            return request.exit_code
        if error is not None:
            log.error("keisei-bridge: training failed at step %d: %s", step, error)
            return EXIT_FAILED
        total = _number(_attr(trainer, "config.training.total_timesteps"))
        if total is not None and step < total:
            log.error("keisei-bridge: training ended at step %d before total_timesteps %d without a stop or pause "
                      "(Keisei logs the reason); reporting a failure", step, total)
            return EXIT_FAILED
        self._sink.publish_event("session.completed", state="completed")
        return EXIT_OK

    def request_stop(self, pause=False):
        """Stops (or pauses) the run as if the command had come from Keisei Web UI. Any thread."""
        if self._interrupter.request_finish("pause" if pause else "stop", "request_stop()"):
            self._interrupter.interrupt_main_thread()

    def install_signal_handlers(self):
        """Makes SIGTERM and SIGINT a stop (interrupt, Keisei's clean-up, checkpoint, exit 0).
        Main thread only; returns False elsewhere. on_training_start calls it."""
        return self._interrupter.install_signal_handlers()

    install_sigterm_handler = install_signal_handlers  # the earlier name

    def close(self):
        """Stops the control listener, restores the signal handlers, delivers what is queued (for at
        most flush_timeout), deletes the heartbeat and disconnects. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._interrupter.disarm()
        self._stop_listener()
        self._interrupter.restore_signal_handlers()
        self._sink.close()

    def _announce_start(self, trainer, after_epoch):
        step = self._step(trainer) if trainer is not None else 0
        if after_epoch:
            # The first epoch is already done: its start was one epoch earlier.
            per_epoch = _number(_attr(trainer, "config.training.steps_per_epoch"))
            step = max(0, step - int(per_epoch)) if per_epoch is not None else 0
        reason = "resumed at step %d" % step if step > 0 else None
        self._sink.publish_event("session.started", state="running", reason=reason)

    # ---------------------------------------------------------------------------------------
    # Control
    # ---------------------------------------------------------------------------------------

    def _start_listener(self):
        if self._listener is not None:
            return
        self._listener = threading.Thread(target=self._listen, name="keisei-bridge-control", daemon=True)
        self._listener.start()

    def _stop_listener(self):
        self._listener_stop.set()
        listener = self._listener
        if listener is not None and listener is not threading.current_thread():
            listener.join(timeout=self._control_poll_ms / 1000.0 + self._sink.socket_timeout + 1)

    def _listen(self):
        """Blocks on the control stream so that a command is acted on within moments, whatever the
        main thread is doing."""
        while not self._listener_stop.is_set():
            try:
                commands = self._sink.read_control(block_ms=self._control_poll_ms)
            except Exception as e:  # read_control reports Redis trouble itself; anything else: go on
                log.warning("keisei-bridge: control listener: %s", e)
                self._listener_stop.wait(1.0)
                continue
            for command in commands:
                if self._listener_stop.is_set():
                    return
                self._on_command(command)

    def _on_command(self, command):
        kind = command.get("type")
        if kind == "checkpoint_now":
            # Saved at the next epoch boundary, not now: mid-rollout the experience buffer is half
            # full and, during an update, the model and optimizer are half stepped.
            self._checkpoint_requested.set()
        elif self._interrupter.request_finish(kind, "control command %s" % command.get("requestId")):
            self._interrupter.interrupt_main_thread()

    # ---------------------------------------------------------------------------------------
    # Checkpoints
    # ---------------------------------------------------------------------------------------

    def _model_dir(self, trainer):
        d = _attr(trainer, "model_dir")
        return os.path.abspath(os.fspath(d)) if d else None

    def _announce(self, path, step):
        """Publishes ``checkpoint.saved`` for a complete file (sha256 of its own bytes), with the
        checkpoint's metadata as ``metrics`` (see _checkpoint_metrics)."""
        info = checkpoint_info(path, step, metrics=self._checkpoint_metrics(step))
        self._sink.publish_event("checkpoint.saved", checkpoint=info)
        self._keisei_files.mark_reported(info["path"])
        self._last_checkpoint = info
        return info

    def _announce_keisei_checkpoints(self, trainer):
        for path, step in self._keisei_files.new_complete(self._model_dir(trainer), self._step(trainer)):
            self._announce(path, step)

    def _checkpoint_of_step(self, trainer, step):
        """After a stop or pause: the checkpoint of ``step``. The newest announced one when it is of
        this step (Keisei's clean-up wrote it, the scan found it), else Keisei's file of this step
        (written by an earlier attempt: a run resumed from it and stopped before its first step),
        else one saved here (Keisei's clean-up did not run: the interrupt came before its loop)."""
        last = self._last_checkpoint
        if last is not None and last["step"] == step and os.path.isfile(last["path"]):
            return last
        model_dir = self._model_dir(trainer)
        if model_dir:
            keisei_file = os.path.join(model_dir, "checkpoint_ts%d.pth" % step)
            if os.path.isfile(keisei_file) and zipfile.is_zipfile(keisei_file):
                return self._announce(keisei_file, step)
        return self._checkpoint(trainer)

    def _checkpoint_dir(self, trainer):
        d = self.checkpoint_dir or self._model_dir(trainer) or "checkpoints"
        d = os.path.abspath(os.fspath(d))
        os.makedirs(d, exist_ok=True)
        return d

    def _checkpoint(self, trainer):
        """Saves a checkpoint and publishes ``checkpoint.saved``; returns its info, or None (with a
        logged reason) when nothing could be saved. A checkpoint this attempt already announced at
        the same step is announced again rather than rewritten."""
        step = self._step(trainer)
        last = self._last_checkpoint
        if last is not None and last["step"] == step and os.path.isfile(last["path"]):
            return self._announce(last["path"], step)
        try:
            path = self._save(trainer, step)
        except Exception as e:
            log.error("keisei-bridge: checkpoint failed: %s", e)
            return None
        return self._announce(path, step) if path is not None else None

    def _save(self, trainer, step):
        """Writes a checkpoint file and returns its path. Tries, in order:

        1. the ``save_checkpoint(trainer)`` callable given to the constructor;
        2. Keisei's ``trainer.model_manager.save_checkpoint(agent=, model_dir=, timestep=,
           episode_count=, stats=, run_name=, is_wandb_active=False)`` into checkpoint_dir
           (returns ``(ok, path)``; writes ``checkpoint_ts{step}.pth``; refuses step 0);
        3. Keisei's ``trainer.agent.save_model(path, global_timestep, total_episodes_completed,
           stats_to_save)`` to ``{checkpoint_dir}/checkpoint_ts{step}.pth``.
        """
        if self.save_checkpoint is not None:
            path = self.save_checkpoint(trainer)
            if path is None or not os.path.isfile(os.fspath(path)):
                raise RuntimeError("save_checkpoint returned %r, which is not a file" % (path,))
            return path
        directory = self._checkpoint_dir(trainer)
        expected = os.path.join(directory, "checkpoint_ts%d.pth" % step)
        mm = _attr(trainer, "metrics_manager")
        episodes = int(_number(getattr(mm, "total_episodes_completed", 0)) or 0)
        stats = {k: int(_number(getattr(mm, k, 0)) or 0) for k in ("black_wins", "white_wins", "draws")}
        errors = []
        model_manager = _attr(trainer, "model_manager")
        agent = _attr(trainer, "agent")
        if model_manager is not None and callable(getattr(model_manager, "save_checkpoint", None)) and agent is not None:
            try:
                result = model_manager.save_checkpoint(
                    agent=agent, model_dir=directory, timestep=step, episode_count=episodes, stats=stats,
                    run_name=getattr(trainer, "run_name", None) or self.session, is_wandb_active=False)
                path = None
                if isinstance(result, tuple) and len(result) == 2:
                    ok, path = result
                    if not ok:
                        path = None
                elif isinstance(result, (str, os.PathLike)):
                    path = result
                if path is None and os.path.isfile(expected):
                    path = expected
                if path is not None and os.path.isfile(os.fspath(path)):
                    return path
                errors.append("model_manager.save_checkpoint returned %r" % (result,))
            except Exception as e:
                errors.append("model_manager.save_checkpoint: %s" % e)
        if agent is not None and callable(getattr(agent, "save_model", None)):
            try:
                agent.save_model(expected, step, episodes, stats)
                if os.path.isfile(expected):
                    return expected
                errors.append("agent.save_model wrote no file at %s" % expected)
            except Exception as e:
                errors.append("agent.save_model: %s" % e)
        if not errors:
            errors.append("no save_checkpoint callable, trainer.model_manager.save_checkpoint or trainer.agent.save_model")
        log.error("keisei-bridge: cannot save a checkpoint: %s", "; ".join(errors))
        return None

    # ---------------------------------------------------------------------------------------
    # Metrics
    # ---------------------------------------------------------------------------------------

    def _step(self, trainer):
        for path in ("metrics_manager.global_timestep", "global_timestep"):
            v = _attr(trainer, path)
            n = _number(v)
            if n is not None and n >= 0:
                return int(n)
        return self._calls

    def collect_metrics(self, trainer):
        """The metrics of this epoch, Keisei's names to finite floats."""
        metrics = collections.OrderedDict()
        ppo = self._ppo_metrics(trainer)
        for name, value in ppo.items():
            _put(metrics, name, value)
        mm = _attr(trainer, "metrics_manager")
        if mm is not None:
            total = _number(getattr(mm, "total_episodes_completed", None))
            if total is not None:
                _put(metrics, "episodes_completed", total)
                for attr, name in (("black_wins", "black_win_rate"), ("white_wins", "white_win_rate"),
                                   ("draws", "draw_rate")):
                    n = _number(getattr(mm, attr, None))
                    if n is not None:
                        _put(metrics, name, n / total if total > 0 else 0.0)
        step = self._step(trainer)
        now = time.monotonic()
        if self._last_step is not None and now > self._last_step_time and step >= self._last_step:
            _put(metrics, "steps_per_second", (step - self._last_step) / (now - self._last_step_time))
        self._last_step, self._last_step_time = step, now
        return metrics

    def _ppo_metrics(self, trainer):
        """Keisei's last PPO update metrics, looked up defensively (the first source found wins):

        1. a dict attribute ``trainer.last_ppo_metrics`` / ``last_learn_metrics`` / ``learn_metrics``
           / ``ppo_metrics`` (what ``agent.learn()`` returned, keys ``ppo/...``);
        2. the same names on ``trainer.metrics_manager`` (attribute, or a ``get_ppo_metrics()`` /
           ``get_last_ppo_metrics()`` method) and on ``trainer.agent``;
        3. the last entries of Keisei's ``metrics_manager.history`` lists (``policy_losses``,
           ``value_losses``, ``entropies``, ``kl_divergences``, ``clip_fractions``, ``learning_rates``).

        Plus ``ppo/gradient_norm`` from ``trainer.agent.last_gradient_norm`` when the dict lacks it.
        Keys without a ``ppo/`` prefix (``policy_loss``) get one when they are one of Keisei's names.
        """
        found = None
        owners = (trainer, _attr(trainer, "metrics_manager"), _attr(trainer, "agent"))
        for owner in owners:
            if owner is None:
                continue
            for name in ("last_ppo_metrics", "last_learn_metrics", "learn_metrics", "ppo_metrics",
                         "get_ppo_metrics", "get_last_ppo_metrics"):
                try:
                    value = getattr(owner, name, None)
                    if callable(value) and not isinstance(value, dict):
                        value = value()
                except Exception:
                    continue
                if isinstance(value, dict) and value:
                    found = value
                    break
            if found is not None:
                break
        result = collections.OrderedDict()
        if found is not None:
            short = {n.split("/", 1)[1]: n for n in PPO_METRICS + (GRADIENT_NORM,)}
            for k, v in found.items():
                key = str(k)
                if key in short:
                    key = short[key]
                result[key] = v
        else:
            history = _attr(trainer, "metrics_manager.history")
            if history is not None:
                for attr, name in (("policy_losses", "ppo/policy_loss"), ("value_losses", "ppo/value_loss"),
                                   ("entropies", "ppo/entropy"), ("kl_divergences", "ppo/kl_divergence_approx"),
                                   ("clip_fractions", "ppo/clip_fraction"), ("learning_rates", "ppo/learning_rate")):
                    series = getattr(history, attr, None)
                    try:
                        if series is not None and len(series) > 0:
                            result[name] = series[-1]
                    except Exception:
                        pass
        if GRADIENT_NORM not in result:
            g = _attr(trainer, "agent.last_gradient_norm")
            if g is None:
                g = _attr(trainer, "last_gradient_norm")
            if g is not None:
                result[GRADIENT_NORM] = g
        return result

    def _publish_metrics(self, trainer):
        step, metrics = self._step(trainer), self.collect_metrics(trainer)
        self._sink.publish_metrics(step, metrics)
        self._last_epoch = (step, metrics)

    # ---------------------------------------------------------------------------------------
    # Keisei's own evaluation
    # ---------------------------------------------------------------------------------------

    def record_evaluation(self, result, step=None):
        """Publishes an evaluation result with the next step callback (or finish), for evaluations
        the bridge cannot observe by itself: a Keisei ``EvaluationResult``, its ``to_dict()``, or a dict
        of Keisei's W&B keys (``evaluation/win_rate``, ``evaluation/total_games``, ...). ``step``: the
        step it was measured at, default the trainer's current global step. Returns whether it was
        recognised as an evaluation."""
        return self._evaluations.record(result, step=step, trainer=self._trainer)

    def _publish_evaluations(self, trainer):
        """Keisei's evaluations since the last call, each as a MetricUpdate at its own step (never
        after a later step than the epoch metrics that follow)."""
        for step, metrics in self._evaluations.take(trainer):
            log.info("%s", _describe_evaluation(step, metrics))
            self._sink.publish_metrics(step, metrics)

    def _checkpoint_metrics(self, step):
        """A checkpoint's metadata (what the built-in trainer keeps in its checkpoint header, which a
        Keisei .pth file has no place for): the metrics of the last epoch published at or before its
        step, and Keisei's latest evaluation at or before its step with that step as keisei/eval/step."""
        metrics = collections.OrderedDict()
        if self._last_epoch is not None and self._last_epoch[0] <= step:
            metrics.update(self._last_epoch[1])
        metrics.update(self._evaluations.latest_before(step))
        return metrics

    # ---------------------------------------------------------------------------------------
    # Game states
    # ---------------------------------------------------------------------------------------

    def publish_game_state(self, trainer, force=False):
        """Publishes ``trainer.game``'s position (throttled by game_every_seconds unless forced).
        Silently does nothing when the game has no SFEN. May also be called more often than once
        per epoch, e.g. from a per-step hook, to make the live board smoother."""
        now = time.monotonic()
        if not force and self._last_game_time is not None and now - self._last_game_time < self.game_every_seconds:
            return False
        game = _attr(trainer, "game")
        if game is None:
            return False
        sfen = _sfen_of(game)
        if not sfen:
            return False
        fields = sfen.split()
        side = "white" if len(fields) > 1 and fields[1] == "w" else "black"
        ply = _number(getattr(game, "move_count", None))
        if ply is None and len(fields) > 3 and fields[3].isdigit():
            ply = int(fields[3]) - 1
        moves = _usi_moves(game)
        episodes = _number(_attr(trainer, "metrics_manager.total_episodes_completed"))
        self._sink.publish_game(collections.OrderedDict([
            ("gameId", "keisei-%d" % (int(episodes) + 1 if episodes is not None else 1)),
            ("ply", max(0, int(ply or 0))), ("sfen", sfen),
            ("lastMove", moves[-1] if moves else None), ("sideToMove", side), ("moves", moves),
            ("result", _result_of(game)), ("time", now_millis())]))
        self._last_game_time = now
        return True


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _attr(obj, dotted):
    """obj.a.b.c, or None if any part is missing or raises."""
    for part in dotted.split("."):
        if obj is None:
            return None
        try:
            obj = getattr(obj, part, None)
        except Exception:
            return None
    return obj


def _number(value):
    """A finite float from a Python/numpy/torch number, else None (bools are not numbers here)."""
    if value is None or isinstance(value, (bool, str, bytes)):
        return None
    try:
        if hasattr(value, "item") and not isinstance(value, (int, float)):
            value = value.item()
        f = float(value)
    except Exception:
        return None
    return f if math.isfinite(f) else None


def _put(metrics, name, value):
    if not _METRIC_NAME.match(name):
        return
    n = _number(value)
    if n is not None:
        metrics[name] = n


def _sfen_of(game):
    for name in ("to_sfen_string", "to_sfen", "get_sfen", "sfen"):
        try:
            value = getattr(game, name, None)
            if callable(value):
                value = value()
        except Exception:
            continue
        if isinstance(value, str) and value.strip() and len(value.split()) >= 2:
            return value.strip()
    return None


def _usi_moves(game):
    """The game's moves in USI, when every one of them can be encoded; else []."""
    history = getattr(game, "move_history", None)
    if not history:
        return []
    encode = getattr(game, "sfen_encode_move", None)
    moves = []
    try:
        for entry in list(history)[-1000:]:
            move = entry.get("move") if isinstance(entry, dict) else entry
            if isinstance(move, str):
                moves.append(move)
            elif callable(encode):
                usi = encode(move)
                if not isinstance(usi, str) or not usi:
                    return []
                moves.append(usi)
            else:
                return []
    except Exception:
        return []
    return moves


def _result_of(game):
    """"BLACK_WIN:CHECKMATE"-style result (as the built-in trainer) when the game is over, else None."""
    try:
        if not getattr(game, "game_over", False):
            return None
        winner = getattr(game, "winner", None)
        name = getattr(winner, "name", winner)
        name = str(name).upper() if name is not None else None
        outcome = {"BLACK": "BLACK_WIN", "SENTE": "BLACK_WIN", "WHITE": "WHITE_WIN", "GOTE": "WHITE_WIN"}.get(name, "DRAW")
        reason = str(getattr(game, "termination_reason", None) or "NONE").strip().upper()
        reason = {"TSUMI": "CHECKMATE", "MAX MOVES REACHED": "MAX_MOVES", "STALEMATE": "NO_LEGAL_MOVES"}.get(reason, reason)
        return outcome + ":" + re.sub(r"[^A-Z0-9]+", "_", reason).strip("_")
    except Exception:
        return None


def _file_digest(path):
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()
