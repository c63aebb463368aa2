"""Keisei Web UI bridge: shows and controls a real Keisei run from Keisei Web UI.

Register it as a Keisei step callback::

    from keisei_bridge import KeiseiWebUICallback
    bridge = KeiseiWebUICallback.from_env()
    trainer.callback_manager.add_callback(bridge)

Keisei calls ``bridge.on_step_end(trainer)`` once per PPO epoch. Each call

* publishes one ``MetricUpdate`` (Keisei's metric names) to ``keisei:metrics``,
* publishes the current board as a ``GameState`` to ``keisei:games`` (throttled),
* refreshes the heartbeat key ``keisei:heartbeat:{session}`` (a daemon thread also refreshes
  it between epochs, which can be much longer than the TTL),
* reads this session's control commands from ``keisei:control:{session}`` without blocking:
  ``stop`` -> checkpoint, ``checkpoint.saved``, ``sys.exit(0)``;
  ``pause`` -> checkpoint, ``checkpoint.saved``, ``sys.exit(10)``;
  ``checkpoint_now`` -> checkpoint, ``checkpoint.saved``, training goes on.

The wire format is the one of the Java ``io.keisei.contracts`` records (``docs/stream-protocol.md``).
Only the Python standard library is used: a minimal RESP2 client speaks to Redis. A Redis
outage never stops training: messages wait in a bounded queue (the oldest are dropped and
counted when it is full) and are sent after a reconnect (with backoff) on a later call.
The only exceptions that leave ``on_step_end`` are the deliberate ``SystemExit`` of stop/pause.
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import json
import logging
import math
import os
import re
import socket
import ssl
import sys
import threading
import time
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["KeiseiWebUICallback", "RedisClient", "RedisError", "EXIT_OK", "EXIT_FAILED", "EXIT_PAUSED"]

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
METRICS_MAXLEN = 1_000_000
GAMES_MAXLEN = 10_000
EVENTS_MAXLEN = 100_000
SOURCE = "trainer"

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

    def execute(self, *args):
        """Sends one command and returns its reply; raises RedisError for an error reply."""
        reply = self.pipeline([args])[0]
        if isinstance(reply, RedisError):
            raise reply
        return reply

    def pipeline(self, commands):
        """Sends several commands at once; returns their replies in order (error replies as
        RedisError objects, not raised). A socket error closes the connection and propagates."""
        self.connect()
        try:
            self._sock.sendall(b"".join(self.encode(*c) for c in commands))
            return [self._read_reply() for _ in commands]
        except BaseException:
            self.close()
            raise


# --------------------------------------------------------------------------------------------
# The callback
# --------------------------------------------------------------------------------------------


class _Pending(object):
    __slots__ = ("stream", "maxlen", "payload")

    def __init__(self, stream, maxlen, payload):
        self.stream, self.maxlen, self.payload = stream, maxlen, payload


class KeiseiWebUICallback(object):
    """A Keisei step callback that publishes a run to Keisei Web UI and obeys its commands.

    :param redis_url: ``redis://[[user]:password@]host:port[/db]`` (``rediss://`` for TLS)
    :param session: the Keisei Web UI session id
    :param attempt: the attempt number (1 for the first start, +1 per resume)
    :param checkpoint_dir: where checkpoints requested by Keisei Web UI go; default: the
        trainer's ``model_dir`` (Keisei's ``{model_dir}/{run_name}``), else ``./checkpoints``
    :param control_cursor: the control stream id after which this attempt's commands start;
        default: the newest id at construction (``XREVRANGE + - COUNT 1``), or ``0-0``
    :param heartbeat_ttl: seconds the heartbeat key lives without a refresh
    :param game_every_seconds: at most one game state per this many seconds
    :param save_checkpoint: ``save_checkpoint(trainer) -> path``; default: Keisei's own mechanisms
    :param max_pending: messages kept while Redis is unreachable (the oldest are dropped beyond)
    :param heartbeat_thread: also refresh the heartbeat from a daemon thread between epochs
    :param socket_timeout: seconds for connecting to Redis and for each reply
    :param flush_timeout: seconds spent at most delivering queued messages before an exit
    """

    def __init__(self, redis_url, session, attempt=1, checkpoint_dir=None, control_cursor=None,
                 heartbeat_ttl=10, game_every_seconds=0.25, save_checkpoint=None, max_pending=10_000,
                 heartbeat_thread=True, socket_timeout=2.0, flush_timeout=5.0):
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
        self.checkpoint_dir = checkpoint_dir
        self.heartbeat_ttl = max(1, int(math.ceil(float(heartbeat_ttl))))
        self.game_every_seconds = float(game_every_seconds)
        self.save_checkpoint = save_checkpoint
        self.flush_timeout = float(flush_timeout)
        self.socket_timeout = float(socket_timeout)

        self._redis = RedisClient(redis_url, timeout=socket_timeout)
        self._pending = collections.deque()
        self._max_pending = max(1, int(max_pending))
        self.dropped = 0
        self._next_retry = 0.0
        self._backoff = 0.0
        self._outage_logged = False

        self._started = False
        self._finished = False
        self._stop_requested = None  # "stop" | "pause" from request_stop()/signals
        self._checkpoint_requested = False
        self._last_step = None
        self._last_step_time = None
        self._last_game_time = None
        self._last_checkpoint = None  # (step, info) of this attempt's newest checkpoint
        self._calls = 0

        self._cursor = control_cursor
        if self._cursor is None:
            self._init_cursor()

        self._hb_stop = threading.Event()
        self._hb_thread = None
        if heartbeat_thread:
            self._hb_thread = threading.Thread(target=self._heartbeat_loop, name="keisei-bridge-heartbeat", daemon=True)
            self._hb_thread.start()

    @classmethod
    def from_env(cls, environ=None, **overrides):
        """Builds the callback from the variables training-service sets when it launches a
        custom trainer: KEISEI_REDIS_URL, KEISEI_SESSION_ID (required), KEISEI_ATTEMPT,
        KEISEI_CHECKPOINT_DIR, KEISEI_CONTROL_CURSOR, KEISEI_HEARTBEAT_TTL_SECONDS (optional).
        Keyword arguments override them (e.g. ``save_checkpoint=...``)."""
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
            "checkpoint_dir": get("KEISEI_CHECKPOINT_DIR"),
            "control_cursor": get("KEISEI_CONTROL_CURSOR"),
        }
        if get("KEISEI_HEARTBEAT_TTL_SECONDS") is not None:
            kwargs["heartbeat_ttl"] = float(get("KEISEI_HEARTBEAT_TTL_SECONDS"))
        kwargs.update(overrides)
        return cls(**kwargs)

    # ---------------------------------------------------------------------------------------
    # Keisei callback API
    # ---------------------------------------------------------------------------------------

    def on_training_start(self, trainer=None, _after_epoch=False):
        """Publishes ``session.started`` (once), with reason "resumed at step N" when the trainer
        starts from a checkpoint. Called by the first on_step_end if not called before."""
        if self._started:
            return
        self._started = True
        try:
            step = self._step(trainer) if trainer is not None else 0
            if _after_epoch:
                # The first epoch is already done: its start was one epoch earlier.
                per_epoch = _number(_attr(trainer, "config.training.steps_per_epoch"))
                step = max(0, step - int(per_epoch)) if per_epoch is not None else 0
            reason = "resumed at step %d" % step if step > 0 else None
            self._publish(EVENTS, self._event("session.started", state="running", reason=reason), EVENTS_MAXLEN)
            self._flush()
        except Exception as e:  # never let the UI break training
            log.warning("keisei-bridge: could not announce the start: %s", e)

    def on_step_end(self, trainer):
        """Called by Keisei's CallbackManager after every PPO epoch."""
        if self._finished:
            return
        finish = None
        try:
            self._calls += 1
            if not self._started:
                self.on_training_start(trainer, _after_epoch=True)
            self._publish_metrics(trainer)
            self.publish_game_state(trainer)
            self._flush()
            self._refresh_heartbeat()
            finish = self._poll_control()
            if finish is None and self._stop_requested is not None:
                finish = self._stop_requested
            if finish is None and self._checkpoint_requested:
                self._checkpoint_requested = False
                self._checkpoint(trainer)
                self._flush()
        except Exception as e:  # never let the UI break training
            log.warning("keisei-bridge: step callback failed (training goes on): %s", e)
        if finish is not None:
            self._finish(trainer, finish)

    # Keisei's Callback base class has only on_step_end; these are harmless extras.
    def on_training_end(self, trainer=None):
        """Publishes ``session.completed`` (when the trainer reached total_timesteps, or when that
        cannot be told), delivers what is queued, removes the heartbeat and disconnects."""
        if self._finished:
            return
        try:
            if not self._started:
                self.on_training_start(trainer)
            total = _attr(trainer, "config.training.total_timesteps") if trainer is not None else None
            step = self._step(trainer) if trainer is not None else None
            if isinstance(total, (int, float)) and step is not None and step < total:
                log.warning("keisei-bridge: training ended at step %d before total_timesteps %d; "
                            "not announcing completion", step, total)
            else:
                self._publish(EVENTS, self._event("session.completed", state="completed"), EVENTS_MAXLEN)
        except Exception as e:
            log.warning("keisei-bridge: could not announce completion: %s", e)
        self.close()

    def request_stop(self, pause=False):
        """Asks for a stop (or a pause) at the end of the current epoch, as if the command had
        arrived from Keisei Web UI. Safe to call from a signal handler."""
        if self._stop_requested is None:
            self._stop_requested = "pause" if pause else "stop"

    def install_sigterm_handler(self):
        """Makes SIGTERM a graceful stop: checkpoint at the end of the current epoch, exit 0.
        Must be called from the main thread."""
        import signal

        signal.signal(signal.SIGTERM, lambda signum, frame: self.request_stop())

    def close(self):
        """Delivers queued messages (bounded by flush_timeout), deletes the heartbeat, disconnects."""
        if self._finished:
            return
        self._finished = True
        self._hb_stop.set()
        try:
            self._flush(deadline=time.monotonic() + self.flush_timeout)
            if self._hb_thread is not None:
                self._hb_thread.join(timeout=self.socket_timeout + 1)
            if self._redis.connected or self._can_try_now():
                try:
                    self._redis.execute("DEL", heartbeat_key(self.session))
                except (OSError, RedisError, ValueError):
                    pass  # it expires on its own
        except Exception as e:
            log.warning("keisei-bridge: error while closing: %s", e)
        finally:
            self._redis.close()
        if self._pending:
            log.warning("keisei-bridge: %d message(s) could not be delivered to %s", len(self._pending),
                        redact(self.redis_url))

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
        if self.dropped:
            _put(metrics, "trainer/stream_messages_dropped", self.dropped)
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
        metrics = self.collect_metrics(trainer)
        if not metrics:
            return
        message = collections.OrderedDict([
            ("v", 1), ("session", self.session), ("attempt", self.attempt),
            ("step", self._step(trainer)), ("time", now_millis()), ("metrics", metrics)])
        self._publish(METRICS, message, METRICS_MAXLEN)

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
        message = collections.OrderedDict([
            ("v", 1), ("session", self.session),
            ("gameId", "keisei-%d" % (int(episodes) + 1 if episodes is not None else 1)),
            ("ply", max(0, int(ply or 0))), ("sfen", sfen),
            ("lastMove", moves[-1] if moves else None), ("sideToMove", side), ("moves", moves),
            ("result", _result_of(game)), ("time", now_millis())])
        self._publish(GAMES, message, GAMES_MAXLEN)
        self._last_game_time = now
        return True

    # ---------------------------------------------------------------------------------------
    # Control
    # ---------------------------------------------------------------------------------------

    def _init_cursor(self):
        try:
            if not self._can_try_now():
                return
            entries = self._redis.execute("XREVRANGE", control_stream(self.session), "+", "-", "COUNT", "1")
            self._cursor = entries[0][0] if entries else "0-0"
            self._connected_ok()
        except (OSError, ValueError) as e:
            self._connection_failed(e)
        except RedisError as e:
            log.warning("keisei-bridge: cannot read the control stream: %s", e)

    def _poll_control(self):
        """Reads new control commands without blocking; returns "stop", "pause" or None."""
        if self._cursor is None:
            # Redis was unreachable at construction: start after whatever is there now rather than
            # replaying an old attempt's commands.
            self._init_cursor()
            if self._cursor is None:
                return None
        if not self._can_try_now():
            return None
        try:
            reply = self._redis.execute("XREAD", "COUNT", "16", "STREAMS", control_stream(self.session), self._cursor)
            self._connected_ok()
        except (OSError, ValueError) as e:
            self._connection_failed(e)
            return None
        except RedisError as e:
            log.warning("keisei-bridge: cannot read the control stream: %s", e)
            return None
        finish = None
        for _stream, entries in reply or []:
            for entry_id, fields in entries:
                self._cursor = entry_id
                command = self._decode_command(entry_id, fields)
                if command == "checkpoint_now":
                    self._checkpoint_requested = True
                elif command in ("stop", "pause") and finish is None:
                    finish = command
        return finish

    def _decode_command(self, entry_id, fields):
        try:
            data = dict(zip(fields[0::2], fields[1::2])).get(PAYLOAD_FIELD)
            cmd = json.loads(data)
            if not isinstance(cmd, dict) or cmd.get("v") != 1:
                raise ValueError("unsupported version %r" % (cmd.get("v") if isinstance(cmd, dict) else None))
            kind = cmd.get("type")
            if kind not in ("stop", "pause", "checkpoint_now"):
                raise ValueError("unknown control command %r" % (kind,))
            if cmd.get("session") != self.session:
                raise ValueError("command for session %r" % (cmd.get("session"),))
            log.warning("keisei-bridge: control: %s (%s)", kind, cmd.get("requestId"))
            return kind
        except Exception as e:
            log.warning("keisei-bridge: ignoring malformed control command %s: %s", entry_id, e)
            return None

    def _finish(self, trainer, kind):
        """stop/pause: checkpoint, announce it, deliver, exit (0 for stop, 10 for pause)."""
        code = EXIT_PAUSED if kind == "pause" else EXIT_OK
        try:
            info = self._checkpoint(trainer)
        except Exception as e:
            info = None
            log.error("keisei-bridge: checkpoint failed: %s", e)
        if info is None:
            log.error("keisei-bridge: %s requested but no checkpoint could be written; exiting with %d",
                      kind, EXIT_FAILED)
            code = EXIT_FAILED
        else:
            log.warning("keisei-bridge: %s at step %d (checkpoint %s)", "paused" if kind == "pause" else "stopped",
                        info["step"], info["path"])
        self.close()
        sys.exit(code)

    # ---------------------------------------------------------------------------------------
    # Checkpoints
    # ---------------------------------------------------------------------------------------

    def _checkpoint_dir(self, trainer):
        d = self.checkpoint_dir or _attr(trainer, "model_dir") or "checkpoints"
        d = os.path.abspath(os.fspath(d))
        os.makedirs(d, exist_ok=True)
        return d

    def _checkpoint(self, trainer):
        """Saves a checkpoint and publishes ``checkpoint.saved``; returns its info dict, or None
        (with a logged reason) when nothing could be saved. A checkpoint this attempt already
        wrote at the same step is announced again rather than rewritten."""
        step = self._step(trainer)
        if self._last_checkpoint is not None and self._last_checkpoint[0] == step \
                and os.path.isfile(self._last_checkpoint[1]["path"]):
            info = self._last_checkpoint[1]
        else:
            path = self._save(trainer, step)
            if path is None:
                return None
            path = os.path.abspath(os.fspath(path))
            size, digest = _file_digest(path)
            info = collections.OrderedDict([("path", path), ("step", step), ("sizeBytes", size), ("sha256", digest)])
            self._last_checkpoint = (step, info)
        self._publish(EVENTS, self._event("checkpoint.saved", checkpoint=info), EVENTS_MAXLEN)
        self._flush()
        return info

    def _save(self, trainer, step):
        """Writes a checkpoint file and returns its path. Tries, in order:

        1. the ``save_checkpoint(trainer)`` callable given to the constructor;
        2. Keisei's ``trainer.model_manager.save_checkpoint(agent=, model_dir=, timestep=,
           episode_count=, stats=, run_name=, is_wandb_active=False)`` into checkpoint_dir
           (returns ``(ok, path)``; writes ``checkpoint_ts{step}.pth``);
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
    # Delivery
    # ---------------------------------------------------------------------------------------

    def _event(self, kind, state=None, reason=None, checkpoint=None):
        e = collections.OrderedDict([("v", 1), ("type", kind), ("session", self.session),
                                     ("attempt", self.attempt), ("time", now_millis()), ("source", SOURCE)])
        if state is not None:
            e["state"] = state
        if reason is not None:
            e["reason"] = reason
        if checkpoint is not None:
            e["checkpoint"] = checkpoint
        return e

    def _publish(self, stream, message, maxlen):
        payload = json.dumps(message, allow_nan=False, separators=(",", ":"))
        if len(self._pending) >= self._max_pending:
            self._pending.popleft()
            self.dropped += 1
        self._pending.append(_Pending(stream, maxlen, payload))

    def _can_try_now(self):
        return self._redis.connected or time.monotonic() >= self._next_retry

    def _connected_ok(self):
        if self._outage_logged:
            log.warning("keisei-bridge: Redis reachable again (%d message(s) dropped so far)", self.dropped)
        self._outage_logged = False
        self._backoff = 0.0

    def _connection_failed(self, error):
        self._redis.close()
        self._backoff = min(5.0, self._backoff * 2 if self._backoff else 0.2)
        self._next_retry = time.monotonic() + self._backoff
        if not self._outage_logged:
            log.warning("keisei-bridge: Redis at %s unreachable, buffering (training goes on): %s",
                        redact(self.redis_url), error)
            self._outage_logged = True

    def _flush(self, deadline=None):
        """Sends queued messages in order, 64 per round trip. Without a deadline one failure ends
        the attempt until the backoff has passed; with one it retries until the deadline."""
        while self._pending:
            if not self._can_try_now():
                if deadline is None or time.monotonic() >= deadline:
                    return
                time.sleep(max(0.0, min(self._next_retry, deadline) - time.monotonic()))
                continue
            batch = list(itertools.islice(self._pending, 64))
            try:
                replies = self._redis.pipeline(
                    [("XADD", p.stream, "MAXLEN", "~", str(p.maxlen), "*", PAYLOAD_FIELD, p.payload) for p in batch])
                self._connected_ok()
            except (OSError, ValueError) as e:
                self._connection_failed(e)
                if deadline is None or time.monotonic() >= deadline:
                    return
                continue
            for p, reply in zip(batch, replies):
                if isinstance(reply, RedisError):
                    log.warning("keisei-bridge: Redis refused a message for %s: %s", p.stream, reply)
                self._pending.popleft()

    def _refresh_heartbeat(self):
        if not self._can_try_now():
            return
        try:
            self._redis.execute("SET", heartbeat_key(self.session), str(os.getpid()), "EX", str(self.heartbeat_ttl))
            self._connected_ok()
        except (OSError, ValueError) as e:
            self._connection_failed(e)
        except RedisError as e:
            log.warning("keisei-bridge: cannot refresh the heartbeat: %s", e)

    def _heartbeat_loop(self):
        """Keeps the heartbeat alive between epochs (a Keisei epoch can outlast the TTL), on its own
        connection. Silent about outages: the main thread reports them."""
        client = RedisClient(self.redis_url, timeout=self.socket_timeout)
        period = max(0.2, self.heartbeat_ttl / 3.0)
        try:
            while True:
                try:
                    client.execute("SET", heartbeat_key(self.session), str(os.getpid()), "EX", str(self.heartbeat_ttl))
                except Exception:
                    client.close()
                if self._hb_stop.wait(period):
                    return
        finally:
            client.close()


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
