#!/usr/bin/env python3
"""Runs today's Keisei (``keisei-train``, 2026) as a Keisei Web UI trainer, without changing Keisei.

training-service launches this file as a custom trainer, for example with the command template
``python3 examples/keisei-bridge/keisei_train_webui.py {config}``, where ``{config}`` is the
Keisei TOML file it wrote. The wrapper

1. checks the config with Keisei's own loader (``keisei.config.load_config``) when this
   interpreter can import it, and exits 1 with Keisei's message when Keisei rejects it;
2. starts ``keisei-train CONFIG --epochs N`` as its child (output passes through), N being what is
   left of ``[run].default_epochs`` (Keisei's run.sh passes it the same way; keisei-train counts
   its --epochs from the epoch it resumes at);
3. tails Keisei's SQLite database (``[display].db_path``) read-only and publishes what Keisei
   writes there on Keisei Web UI's streams: metrics, live games, session.started, the heartbeat,
   checkpoint.saved, and the league's ratings as metrics;
4. obeys ``keisei:control:{session}``: stop and pause end keisei-train (SIGINT, then SIGTERM, then
   SIGKILL, all well inside KEISEI_STOP_GRACE_SECONDS) and report the progress lost since the
   last checkpoint; Keisei has no way to be asked for a checkpoint, so checkpoint_now is answered
   in the log only.

Exit codes (io.keisei.contracts.TrainerExitCodes): 0 stopped or completed, 10 paused, 1 failed
(a rejected config, or keisei-train failing by itself), 143 terminated by SIGTERM without a stop
or pause. See docs/keisei-2026.md for the metric mapping and what is not supported.

Usage::

    keisei_train_webui.py CONFIG.toml [--keisei-train CMD] [--poll-seconds S] [--games-per-second N]
                          [--heartbeat-stale-seconds S] [--startup-seconds S] [-- KEISEI_TRAIN_ARGS...]

Python >= 3.11, standard library only; Redis goes through ``keisei_bridge.StreamSink`` (same folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.util
import json
import logging
import math
import os
import pathlib
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Exit codes as the built-in trainer's (TrainerExitCodes): 0 stopped or completed, 10 paused, 1 failed.
from keisei_bridge import EXIT_FAILED, EXIT_OK, EXIT_PAUSED, StreamSink, checkpoint_info  # noqa: E402

log = logging.getLogger("keisei_train_webui")

EXIT_TERMINATED = 128 + signal.SIGTERM  # SIGTERM without a stop or pause: the session fails, resumable

# Keisei's metrics columns that mean what one of our metric names means (io.keisei.contracts.MetricNames).
SAME_MEANING = {
    "policy_loss": "ppo/policy_loss",
    "value_loss": "ppo/value_loss",
    "entropy": "ppo/entropy",
    "gradient_norm": "ppo/gradient_norm",
    "black_win_rate": "black_win_rate",
    "white_win_rate": "white_win_rate",
    "draw_rate": "draw_rate",
    "avg_episode_length": "episode_length_mean",
}
# Columns without a counterpart of ours: published as keisei/<column>. Keisei's episodes_completed
# counts one epoch's games; ours is a running total, computed below from these per-epoch counts.
KEISEI_ONLY = ("epoch", "win_rate", "loss_rate", "truncation_rate", "episodes_completed")
KEISEI_PREFIX = "keisei/"
EPISODES_COMPLETED = "episodes_completed"
STEPS_PER_SECOND = "steps_per_second"
MIN_RATE_INTERVAL_SECONDS = 2  # Keisei's metric timestamps have 1 s resolution

LEAGUE_ELO_PREFIX = "league/elo/"
LEAGUE_LEARNER_ELO = "league/learner_elo"
LEAGUE_MATCHES = "league/matches"
LEAGUE_GAMES = "league/games"
LEAGUE_LEARNER_WIN_RATE = "league/learner_win_rate"
LEAGUE_ENTRIES_ACTIVE = "league/entries_active"
MAX_METRIC_NAME = 128
DEFAULT_EPOCHS = 1000  # keisei-train's and run.sh's default for --epochs

USI_MOVE = re.compile(r"^(?:[1-9][a-i][1-9][a-i]\+?|[PLNSGBR]\*[1-9][a-i])$")
CHECKPOINT_FILE_EPOCH = re.compile(r"epoch_(\d+)\.pt$")  # keisei/training/katago_loop.py: epoch_{epoch_i:05d}.pt


# ------------------------------------------------------------------------------------------------
# Arguments and Keisei's config
# ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Options:
    config: str
    keisei_train: list[str]
    keisei_args: list[str]
    poll_seconds: float
    games_per_second: float
    heartbeat_stale_seconds: float
    startup_seconds: float
    stop_grace_seconds: float


def parse_options(argv, environ) -> Options:
    """Our options before ``--``; what follows ``--`` goes to keisei-train after the config."""
    ours, keisei_args = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    p = argparse.ArgumentParser(prog="keisei_train_webui.py",
                                description="Runs keisei-train (Keisei 2026) as a Keisei Web UI trainer.")
    p.add_argument("config", help="Keisei's TOML config (training-service's {config})")
    p.add_argument("--keisei-train", default="keisei-train",
                   help="the command that starts Keisei, split like a shell would (default: keisei-train)")
    p.add_argument("--poll-seconds", type=float, default=0.5, help="how often the database is read (0.5)")
    p.add_argument("--games-per-second", type=float, default=4.0, help="live game states published at most (4)")
    p.add_argument("--heartbeat-stale-seconds", type=float, default=300.0,
                   help="Keisei's heartbeat_at older than this stops our heartbeat (300: Keisei writes it every 10 s "
                        "while it rolls out and updates, but not while torch.compile compiles or between epochs)")
    p.add_argument("--startup-seconds", type=float, default=600.0,
                   help="how long our heartbeat is kept up before Keisei's first one (600: imports, model build, compile)")
    a = p.parse_args(ours)
    return Options(config=a.config, keisei_train=shlex.split(a.keisei_train), keisei_args=keisei_args,
                   poll_seconds=max(0.05, a.poll_seconds), games_per_second=max(0.1, a.games_per_second),
                   heartbeat_stale_seconds=a.heartbeat_stale_seconds, startup_seconds=a.startup_seconds,
                   stop_grace_seconds=stop_grace_from(environ))


def stop_grace_from(environ) -> float:
    """KEISEI_STOP_GRACE_SECONDS: how long training-service waits after stop/pause before killing us."""
    raw = environ.get("KEISEI_STOP_GRACE_SECONDS", "")
    try:
        grace = float(raw) if raw else 60.0
        if grace > 0 and math.isfinite(grace):
            return grace
    except ValueError:
        pass
    log.warning("KEISEI_STOP_GRACE_SECONDS=%r is not a positive number; using 60", raw)
    return 60.0


class ConfigRejected(Exception):
    """Keisei's loader (or TOML itself) rejected the config: exit 1 with this message."""


@dataclasses.dataclass(frozen=True)
class KeiseiSettings:
    """What the wrapper needs from Keisei's config, resolved the way Keisei resolves it."""
    db_path: str
    checkpoint_dir: str
    checkpoint_interval: int
    total_epochs: int  # [run].default_epochs: what Keisei's run.sh passes as keisei-train --epochs


def load_settings(config_path) -> KeiseiSettings:
    """Runs Keisei's own loader when this interpreter can import it, else reads the paths with
    Keisei's defaults and its rule that relative paths are relative to the config's folder."""
    path = pathlib.Path(config_path)
    cfg = keisei_config(path)
    raw = read_toml(path)
    total_epochs = int(raw.get("run", {}).get("default_epochs", DEFAULT_EPOCHS))
    if cfg is not None:
        return KeiseiSettings(db_path=str(cfg.display.db_path), checkpoint_dir=str(cfg.training.checkpoint_dir),
                              checkpoint_interval=int(cfg.training.checkpoint_interval), total_epochs=total_epochs)
    base = path.parent.resolve()
    display, training = raw.get("display", {}), raw.get("training", {})
    return KeiseiSettings(db_path=str((base / display.get("db_path", "keisei.db")).resolve()),
                          checkpoint_dir=str((base / training.get("checkpoint_dir", "checkpoints/")).resolve()),
                          checkpoint_interval=int(training.get("checkpoint_interval", 50)), total_epochs=total_epochs)


def keisei_config(path: pathlib.Path):
    """Keisei's AppConfig from keisei.config.load_config; None when keisei is not importable here."""
    if importlib.util.find_spec("keisei") is None:
        log.info("keisei is not importable by %s: skipped Keisei's config check (keisei-train does it)",
                 sys.executable)
        return None
    try:
        from keisei.config import load_config  # lazily: it imports Keisei's model registry (PyTorch)
    except Exception as e:  # a keisei package that cannot even load fails keisei-train the same way
        raise ConfigRejected("cannot import Keisei's config loader (keisei.config): %s" % e) from e
    try:
        cfg = load_config(path)
    except Exception as e:  # Keisei's loader raises ValueError and friends; all mean "rejected"
        raise ConfigRejected("Keisei rejected %s: %s" % (path, e or type(e).__name__)) from e
    log.info("config %s accepted by Keisei's loader", path)
    return cfg


def read_toml(path: pathlib.Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigRejected("cannot read %s: %s" % (path, e)) from e


def with_epochs(keisei_args, total_epochs, epochs_done) -> list:
    """keisei-train's --epochs counts from the epoch it resumes at, while [run].default_epochs is the
    session's total: pass what is left (0 makes keisei-train finish at once). An --epochs of the
    operator's own (after ``--``) wins."""
    if any(a == "--epochs" or a.startswith("--epochs=") for a in keisei_args):
        return list(keisei_args)
    return ["--epochs", str(max(0, total_epochs - epochs_done))] + list(keisei_args)


# ------------------------------------------------------------------------------------------------
# Keisei's database, read-only
# ------------------------------------------------------------------------------------------------


class KeiseiDatabase:
    """A read-only view of Keisei's SQLite database. WAL mode lets it read while Keisei writes;
    uncommitted writes (also those of a writer killed mid-transaction) are never seen.

    Queries never hold a read transaction open (autocommit, results fetched at once), so Keisei's
    ``wal_checkpoint(TRUNCATE)`` after each epoch is not held up."""

    def __init__(self, path, busy_timeout=0.25):
        self.path = path
        self.busy_timeout = busy_timeout
        self._conn = None
        self._problem = None

    def rows(self, sql, params=()) -> list | None:
        """The rows as dicts; [] for a table that does not exist yet; None when the database
        cannot be read now (not created yet, busy, being recovered, damaged): try again later."""
        conn = self._connection()
        if conn is None:
            return None
        try:
            rows = [dict(r) for r in conn.execute(sql, params).fetchall()]
        except sqlite3.OperationalError as e:
            if str(e).startswith("no such table"):
                return []
            return self._failed(e, reopen=not _is_busy(e))
        except sqlite3.DatabaseError as e:
            return self._failed(e, reopen=True)
        self._recovered()
        return rows

    def one(self, sql, params=()) -> dict | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self):
        if self._conn is None:
            if not os.path.exists(self.path):
                return None
            try:
                conn = sqlite3.connect(pathlib.Path(self.path).absolute().as_uri() + "?mode=ro", uri=True,
                                       timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as e:
                return self._failed(e, reopen=False)
            conn.row_factory = sqlite3.Row
            self._conn = conn
        return self._conn

    def _failed(self, error, reopen):
        """Logs each kind of trouble once; a connection that may be stale is reopened next time."""
        if reopen:
            self.close()
        kind = str(error).split(":")[0]
        if kind != self._problem:
            log.warning("cannot read %s now (%s); retrying", self.path, error)
            self._problem = kind
        return None

    def _recovered(self):
        if self._problem is not None:
            log.info("reading %s again", self.path)
            self._problem = None


def _is_busy(error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def parse_utc_seconds(text) -> float | None:
    """Keisei's timestamps: strftime('%Y-%m-%dT%H:%M:%SZ') or with '%f' milliseconds, in UTC."""
    if not text:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc).timestamp()
        except ValueError:
            continue
    return None


def millis(text) -> int:
    seconds = parse_utc_seconds(text)
    return int((seconds if seconds is not None else time.time()) * 1000)


def step_at_epoch_end(db, epoch, fallback) -> int:
    """The training step at the end of ``epoch`` (0-based): its newest metrics row, else ``fallback``."""
    row = db.one("SELECT step FROM metrics WHERE epoch = ? ORDER BY id DESC LIMIT 1", (epoch,))
    return int(row["step"]) if row and row.get("step") is not None else int(fallback or 0)


# ------------------------------------------------------------------------------------------------
# metrics -> MetricUpdate
# ------------------------------------------------------------------------------------------------


def finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def mapped_metrics(row) -> dict:
    """One metrics row under our names where they mean the same, else keisei/<column>."""
    values = {}
    for column, name in SAME_MEANING.items():
        if finite(row.get(column)):
            values[name] = float(row[column])
    for column in KEISEI_ONLY:
        if finite(row.get(column)):
            values[KEISEI_PREFIX + column] = float(row[column])
    return values


class EpisodeTotals:
    """Our episodes_completed (a running total) from Keisei's per-epoch counts. A row for an epoch
    already counted means Keisei resumed before it: the epochs from there on are counted anew."""

    def __init__(self):
        self._by_epoch = {}

    def add(self, epoch, count) -> int:
        for e in [e for e in self._by_epoch if e >= epoch]:
            del self._by_epoch[e]
        self._by_epoch[epoch] = int(count) if finite(count) else 0
        return sum(self._by_epoch.values())


class MetricsTail:
    """New metrics rows (by id, one per Keisei epoch), each turned into one MetricUpdate."""

    def __init__(self):
        self.last_id = 0
        self.published_step = None  # of the newest row this attempt published
        self._totals = EpisodeTotals()
        self._previous = None  # (step, seconds) of the previous row published by this attempt

    def start_after(self, db):
        """Rows already there were published by earlier attempts; they only seed the totals."""
        for row in db.rows("SELECT id, epoch, step, episodes_completed FROM metrics ORDER BY id") or []:
            self._totals.add(row["epoch"], row["episodes_completed"])
            self.last_id = row["id"]

    def poll(self, db) -> list:
        """[(step, values, time_ms)] for the rows written since the last poll."""
        updates = []
        for row in db.rows("SELECT * FROM metrics WHERE id > ? ORDER BY id LIMIT 1000", (self.last_id,)) or []:
            self.last_id, self.published_step = row["id"], int(row["step"])
            values = mapped_metrics(row)
            values[EPISODES_COMPLETED] = float(self._totals.add(row["epoch"], row.get("episodes_completed")))
            seconds = parse_utc_seconds(row.get("timestamp"))
            rate = self._steps_per_second(row["step"], seconds)
            if rate is not None:
                values[STEPS_PER_SECOND] = rate
            updates.append((int(row["step"]), values, millis(row.get("timestamp"))))
        return updates

    def _steps_per_second(self, step, seconds):
        previous, self._previous = self._previous, (step, seconds)
        if previous is None or seconds is None or previous[1] is None:
            return None
        steps, elapsed = step - previous[0], seconds - previous[1]
        return steps / elapsed if steps > 0 and elapsed >= MIN_RATE_INTERVAL_SECONDS else None


# ------------------------------------------------------------------------------------------------
# game_snapshots -> GameState
# ------------------------------------------------------------------------------------------------


def game_id_of(row) -> str:
    kind = row.get("game_type") or "live"
    return "keisei-%s" % row["game_id"] if kind == "live" else "keisei-%s-%s" % (kind, row["game_id"])


def usi_moves(move_history_json) -> list:
    """USI moves of move_history_json ([{action, notation, usi}]). Keisei's single-game spectator
    env records no USI: then no moves rather than a partial list."""
    try:
        history = json.loads(move_history_json or "[]")
        moves = [m.get("usi") if isinstance(m, dict) else m for m in history]
    except (ValueError, AttributeError):
        return []
    return moves if all(isinstance(m, str) and USI_MOVE.match(m) for m in moves) else []


def other_side(side) -> str:
    return "white" if side == "black" else "black"


def game_result(keisei_result, side_to_move) -> str:
    """Our result string ("black_win:checkmate", "draw:max_moves") from Keisei's (shogi-gym's
    game_result_str). Keisei names no winner: the mated side is the one to move; perpetual check
    loses for the checking side, the one that just moved. An impasse's winner is not recorded."""
    winner = {"checkmate": other_side(side_to_move), "perpetual_check": side_to_move}.get(keisei_result)
    if winner is not None:
        return "%s_win:%s" % (winner, keisei_result)
    if keisei_result in ("repetition", "max_moves"):
        return "draw:" + keisei_result
    return keisei_result or "over"


def game_state(row) -> dict | None:
    """A GameState (without v/session) for one game_snapshots row; None without a position."""
    sfen = (row.get("sfen") or "").strip()
    if not sfen:
        return None
    parts = sfen.split()
    side = row.get("current_player")
    if side not in ("black", "white"):
        side = "white" if len(parts) > 1 and parts[1] == "w" else "black"
    moves = usi_moves(row.get("move_history_json"))
    over = bool(row.get("is_over"))
    return {"gameId": game_id_of(row), "ply": max(0, int(row.get("ply") or 0)), "sfen": sfen,
            "lastMove": moves[-1] if moves else None, "sideToMove": side, "moves": moves,
            "result": game_result(row.get("result"), side) if over else None, "time": millis(row.get("updated_at"))}


class GameFeed:
    """Keisei's live games, each published only when its row changed (updated_at), at most
    ``rate`` per second overall. Keisei rewrites every game at once (128 by default), so games take
    turns: finished ones first (a final position is worth showing), then the least recently shown."""

    def __init__(self, rate, burst):
        self.rate = rate
        self.burst = max(1.0, burst)
        self._tokens = 1.0
        self._refilled = time.monotonic()
        self._published = {}  # game_id -> updated_at last published (or found at start)
        self._dirty = {}      # game_id -> is_over, for rows changed since
        self._shown_at = {}   # game_id -> monotonic time last published

    def start_after(self, db):
        for row in db.rows("SELECT game_id, updated_at FROM game_snapshots") or []:
            self._published[row["game_id"]] = row["updated_at"]

    def poll(self, db):
        for row in db.rows("SELECT game_id, updated_at, is_over FROM game_snapshots") or []:
            if self._published.get(row["game_id"]) != row["updated_at"]:
                self._dirty[row["game_id"]] = bool(row["is_over"])

    def due(self, db) -> list:
        """The game states to publish now, within the rate."""
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        states = []
        while self._dirty and self._tokens >= 1.0:
            game_id = min(self._dirty, key=lambda g: (not self._dirty[g], self._shown_at.get(g, -math.inf), g))
            rows = db.rows("SELECT * FROM game_snapshots WHERE game_id = ?", (game_id,))
            if rows is None:
                break  # unreadable just now: the game stays due
            del self._dirty[game_id]
            row = rows[0] if rows else None
            if row is None or self._published.get(game_id) == row["updated_at"]:
                continue
            self._published[game_id] = row["updated_at"]
            state = game_state(row)
            if state is not None:
                self._tokens -= 1.0
                self._shown_at[game_id] = now
                states.append(state)
        return states


# ------------------------------------------------------------------------------------------------
# training_state -> session.started, heartbeat, checkpoint.saved
# ------------------------------------------------------------------------------------------------


class RunState:
    """Keisei's training_state row. Keisei writes it when a fresh run starts (INSERT OR REPLACE),
    leaves an earlier run's row as it is when it resumes, and then refreshes epoch, step, phase and
    heartbeat_at at least every 10 s. The run counts as started once the row differs from the one
    found before keisei-train was launched and its heartbeat is fresh."""

    SIGNATURE = ("started_at", "heartbeat_at", "current_epoch", "current_step", "phase")

    def __init__(self, stale_seconds):
        self.stale_seconds = stale_seconds
        self.baseline = None
        self.row = None

    def start_after(self, db):
        self.baseline = db.one("SELECT * FROM training_state WHERE id = 1")
        self.row = self.baseline

    def poll(self, db):
        row = db.one("SELECT * FROM training_state WHERE id = 1")
        if row is not None:
            self.row = row

    def heartbeat_fresh(self) -> bool:
        beat = parse_utc_seconds(self.row.get("heartbeat_at")) if self.row else None
        # +1: heartbeat_at has whole seconds
        return beat is not None and time.time() - beat <= self.stale_seconds + 1

    def written_by_this_run(self) -> bool:
        if self.row is None:
            return False
        if self.baseline is None:
            return True
        return any(self.row.get(k) != self.baseline.get(k) for k in self.SIGNATURE)

    def running(self) -> bool:
        return self.written_by_this_run() and self.heartbeat_fresh()

    def current_step(self) -> int:
        return int(self.row.get("current_step") or 0) if self.row else 0


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    path: str
    step: int
    identity: tuple  # (path, mtime_ns, size): a file replaced under the same name is a new checkpoint

    @property
    def epochs_done(self) -> int | None:
        """Epochs trained when it was saved: epoch_NNNNN.pt is written after epoch NNNNN (0-based)."""
        m = CHECKPOINT_FILE_EPOCH.search(os.path.basename(self.path))
        return int(m.group(1)) + 1 if m else None


def file_identity(path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (path, st.st_mtime_ns, st.st_size) if os.path.isfile(path) else None


def checkpoint_step(db, path, fallback) -> int:
    """Keisei saves epoch_NNNNN.pt right after the metrics row of epoch NNNNN: that row's step.
    Otherwise the step training_state recorded with the path."""
    m = CHECKPOINT_FILE_EPOCH.search(os.path.basename(path))
    return step_at_epoch_end(db, int(m.group(1)), fallback) if m else int(fallback or 0)


class CheckpointWatch:
    """training_state.checkpoint_path. Keisei writes a checkpoint to a temp file, renames it, then
    records the path, so a recorded path whose file exists names a complete checkpoint (Keisei
    also records the path when saving failed: that file never appears and is never announced)."""

    def __init__(self):
        self.latest = None  # the newest checkpoint: announced by this attempt, or the one resumed from
        self.resumed_from = None

    def start_after(self, db, run):
        path = (run.baseline or {}).get("checkpoint_path")
        identity = file_identity(path) if path else None
        if identity is not None:  # keisei-train resumes from it; an earlier attempt announced it
            self.latest = self.resumed_from = Checkpoint(path, checkpoint_step(db, path, 0), identity)

    def poll(self, db, run) -> Checkpoint | None:
        """A checkpoint to announce: recorded, complete, and not announced yet."""
        path = (run.row or {}).get("checkpoint_path")
        identity = file_identity(path) if path else None
        if identity is None or (self.latest is not None and self.latest.identity == identity):
            return None
        return Checkpoint(path, checkpoint_step(db, path, run.current_step()), identity)

    def announced(self, checkpoint):
        self.latest = checkpoint


# ------------------------------------------------------------------------------------------------
# League tables -> metrics
# ------------------------------------------------------------------------------------------------


def entry_label(entry_id, display_name) -> str:
    """league/elo/<id>-<display name> with the name reduced to metric-name characters."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", display_name or "").strip("_")
    label = "%s-%s" % (entry_id, name) if name else str(entry_id)
    return (LEAGUE_ELO_PREFIX + label)[:MAX_METRIC_NAME]


class LeagueFeed:
    """Keisei's league (opponent pool) as metrics, since Keisei Web UI has no league view yet:
    every elo_history row as league/elo/<entry> (and league/learner_elo for the learner's entry),
    league_results per epoch as match and game counts and the learner's win rate, and the number
    of active entries when it changes. Their step is the training step of the epoch they name."""

    def __init__(self):
        self._elo_id = 0
        self._result_id = 0
        self._active = None
        self._labels = {}

    def start_after(self, db):
        self._elo_id = (db.one("SELECT COALESCE(MAX(id), 0) AS id FROM elo_history") or {}).get("id", 0)
        self._result_id = (db.one("SELECT COALESCE(MAX(id), 0) AS id FROM league_results") or {}).get("id", 0)
        self._active = self._count_active(db) or 0

    def poll(self, db, run) -> list:
        """[(step, values)]."""
        learner = (run.row or {}).get("learner_entry_id")
        by_step = {}
        for epoch, values in list(self._elo(db, learner).items()) + list(self._results(db, learner).items()):
            by_step.setdefault(step_at_epoch_end(db, epoch, run.current_step()), {}).update(values)
        active = self._count_active(db)
        if active is not None and active != self._active:
            self._active = active
            by_step.setdefault(run.current_step(), {})[LEAGUE_ENTRIES_ACTIVE] = float(active)
        return sorted(by_step.items())

    def _elo(self, db, learner) -> dict:
        by_epoch = {}
        for row in db.rows("SELECT * FROM elo_history WHERE id > ? ORDER BY id LIMIT 5000", (self._elo_id,)) or []:
            self._elo_id = row["id"]
            values = by_epoch.setdefault(row["epoch"], {})
            values[self._label(db, row["entry_id"])] = float(row["elo_rating"])
            if learner is not None and row["entry_id"] == learner:
                values[LEAGUE_LEARNER_ELO] = float(row["elo_rating"])
        return by_epoch

    def _results(self, db, learner) -> dict:
        by_epoch = {}
        for row in db.rows("SELECT * FROM league_results WHERE id > ? ORDER BY id LIMIT 5000", (self._result_id,)) or []:
            self._result_id = row["id"]
            t = by_epoch.setdefault(row["epoch"], {"matches": 0, "games": 0, "learner_games": 0, "learner_wins": 0})
            t["matches"] += 1
            t["games"] += row["num_games"]
            for me, wins in (("entry_a_id", "wins_a"), ("entry_b_id", "wins_b")):
                if learner is not None and row[me] == learner:
                    t["learner_games"] += row["num_games"]
                    t["learner_wins"] += row[wins]
        out = {}
        for epoch, t in by_epoch.items():
            values = {LEAGUE_MATCHES: float(t["matches"]), LEAGUE_GAMES: float(t["games"])}
            if t["learner_games"]:
                values[LEAGUE_LEARNER_WIN_RATE] = t["learner_wins"] / t["learner_games"]
            out[epoch] = values
        return out

    def _label(self, db, entry_id) -> str:
        if entry_id not in self._labels:
            row = db.one("SELECT display_name FROM league_entries WHERE id = ?", (entry_id,))
            self._labels[entry_id] = entry_label(entry_id, (row or {}).get("display_name"))
        return self._labels[entry_id]

    @staticmethod
    def _count_active(db):
        row = db.one("SELECT COUNT(*) AS n FROM league_entries WHERE status = 'active'")
        return None if row is None else row["n"]


# ------------------------------------------------------------------------------------------------
# The child process
# ------------------------------------------------------------------------------------------------


class ChildNotStarted(Exception):
    """keisei-train could not be started (not on PATH, not executable)."""


class KeiseiChild:
    """keisei-train, started with our stdout and stderr. Keisei installs no signal handlers:
    SIGINT raises KeyboardInterrupt (its finally blocks run), SIGTERM ends it where it stands."""

    def __init__(self):
        self.argv = None
        self._proc = None

    def start(self, argv):
        self.argv = argv
        try:
            self._proc = subprocess.Popen(self.argv)
        except OSError as e:
            raise ChildNotStarted("cannot start %s: %s" % (self.argv[0], e)) from e
        log.info("started %s (pid %d)", " ".join(shlex.quote(a) for a in self.argv), self._proc.pid)

    def exit_code(self):
        return self._proc.poll()

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def send(self, sig):
        if self.alive():
            log.info("sending %s to keisei-train (pid %d)", signal.Signals(sig).name, self._proc.pid)
            try:
                self._proc.send_signal(sig)
            except ProcessLookupError:
                pass

    def end_now(self, wait_seconds=3.0):
        """SIGTERM, then SIGKILL: for our own failures, so no orphan keeps the GPU."""
        self.send(signal.SIGTERM)
        try:
            self._proc.wait(wait_seconds)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self._proc.wait()


class StopSequence:
    """Ends keisei-train within the grace training-service gives us: SIGINT at once, SIGTERM after
    half the grace, SIGKILL after seven tenths; the rest is left for the last reads and reports.
    A SIGTERM to us skips to SIGTERM at once and SIGKILL a little later."""

    def __init__(self, child, grace_seconds):
        self.child = child
        self.grace = grace_seconds
        self.kind = None  # "stop" | "pause" | "terminate" (SIGTERM to us without a stop/pause)
        self._plan = []   # [(monotonic deadline, signal)]

    @property
    def active(self) -> bool:
        return self.kind is not None

    def request(self, kind):
        """stop/pause from the control stream; a stop after a pause makes it a stop."""
        if self.kind is None:
            now = time.monotonic()
            self._plan = [(now, signal.SIGINT), (now + 0.5 * self.grace, signal.SIGTERM),
                          (now + 0.7 * self.grace, signal.SIGKILL)]
            self.kind = kind
        elif kind == "stop" or self.kind == "terminate":
            self.kind = kind
        self.advance()

    def terminated(self):
        """SIGTERM to us: forward it now; keep a stop/pause already under way."""
        now = time.monotonic()
        self._plan = [(now, signal.SIGTERM), (now + min(3.0, 0.2 * self.grace), signal.SIGKILL)]
        if self.kind is None:
            self.kind = "terminate"
        self.advance()

    def advance(self):
        now = time.monotonic()
        while self._plan and self._plan[0][0] <= now:
            self.child.send(self._plan.pop(0)[1])


class HeartbeatGate:
    """Our heartbeat key lives while keisei-train does and its own heartbeat is fresh (or it has
    not written one yet and is still within its start-up time, or it is being stopped)."""

    def __init__(self, sink):
        self.sink = sink
        self.on = False

    def set(self, beat):
        if beat and not self.on:
            self.sink.start_heartbeat()
            log.info("heartbeat on")
        elif not beat and self.on:
            self.sink.stop_heartbeat(delete=True)
            log.warning("heartbeat off: keisei-train has no fresh heartbeat in its database")
        self.on = beat


# ------------------------------------------------------------------------------------------------
# The wrapper
# ------------------------------------------------------------------------------------------------


class Wrapper:
    """Runs keisei-train and relays its database to Keisei Web UI until it ends."""

    def __init__(self, options, settings, sink):
        self.options = options
        self.settings = settings
        self.sink = sink
        self.child = KeiseiChild()
        self.db = KeiseiDatabase(settings.db_path)
        self.metrics = MetricsTail()
        self.games = GameFeed(options.games_per_second, options.games_per_second * options.poll_seconds)
        self.run_state = RunState(options.heartbeat_stale_seconds)
        self.checkpoints = CheckpointWatch()
        self.league = LeagueFeed()
        self.stop = StopSequence(self.child, options.stop_grace_seconds)
        self.heartbeat = HeartbeatGate(sink)
        self.started = False
        self.launched_at = None
        self._signals = []

    # -- life cycle --------------------------------------------------------------------------------

    def run(self) -> int:
        self._read_baseline()
        signal.signal(signal.SIGTERM, lambda *_: self._signals.append(signal.SIGTERM))
        signal.signal(signal.SIGINT, lambda *_: self._signals.append(signal.SIGINT))
        self.child.start(self._keisei_train_argv())
        self.launched_at = time.monotonic()
        self.heartbeat.set(True)
        try:
            while True:
                self._handle_signals()
                for command in self.sink.read_control(0):
                    self._on_command(command)
                self.stop.advance()
                self._relay(games=True)
                code = self.child.exit_code()
                if code is not None:
                    return self._finish(code)
                self.heartbeat.set(self._should_beat())
                time.sleep(self.options.poll_seconds)
        finally:
            if self.child.alive():
                self.child.end_now()
            self.db.close()

    def _read_baseline(self):
        """What is in the database before keisei-train starts belongs to earlier attempts."""
        deadline = time.monotonic() + 10
        while os.path.exists(self.settings.db_path) and self.db.rows("SELECT 1") is None:
            if time.monotonic() > deadline:
                log.warning("could not read %s before the start; its rows may be published again",
                            self.settings.db_path)
                return
            time.sleep(0.2)
        self.metrics.start_after(self.db)
        self.games.start_after(self.db)
        self.run_state.start_after(self.db)
        self.checkpoints.start_after(self.db, self.run_state)
        self.league.start_after(self.db)
        if self.checkpoints.resumed_from is not None:
            log.info("keisei-train will resume from %s (step %d)", self.checkpoints.resumed_from.path,
                     self.checkpoints.resumed_from.step)

    def _keisei_train_argv(self) -> list:
        resumed = self.checkpoints.resumed_from
        done = 0
        if resumed is not None:
            done = resumed.epochs_done
            if done is None:
                log.warning("cannot tell the epoch of %s: keisei-train gets all %d epochs again", resumed.path,
                            self.settings.total_epochs)
                done = 0
        args = with_epochs(self.options.keisei_args, self.settings.total_epochs, done)
        return self.options.keisei_train + [self.options.config] + args

    def _handle_signals(self):
        while self._signals:
            sig = self._signals.pop(0)
            if sig == signal.SIGTERM:
                log.warning("SIGTERM: forwarding it to keisei-train")
                self.stop.terminated()
            else:
                log.warning("SIGINT: stopping keisei-train")
                self.stop.request("stop")

    def _on_command(self, command):
        kind = command.get("type")
        if kind in ("stop", "pause"):
            self.stop.request(kind)
        elif kind == "checkpoint_now":
            log.warning("checkpoint_now (%s): %s", command.get("requestId"), self._no_checkpoint_on_request())

    def _no_checkpoint_on_request(self) -> str:
        latest = self.checkpoints.latest
        newest = ("the newest is %s (step %d)" % (latest.path, latest.step)) if latest else "none was saved yet"
        return ("Keisei 2026 cannot be asked for a checkpoint; it saves one every %d epochs by itself "
                "([training].checkpoint_interval); %s" % (self.settings.checkpoint_interval, newest))

    def _should_beat(self) -> bool:
        if not self.child.alive():
            return False
        if self.stop.active or self.run_state.running():
            return True
        starting = not self.started and time.monotonic() - self.launched_at < self.options.startup_seconds
        return starting

    # -- relaying ----------------------------------------------------------------------------------

    def _relay(self, games):
        self.run_state.poll(self.db)
        if not self.started and self.run_state.running():
            self._announce_start()
        for step, values, time_ms in self.metrics.poll(self.db):
            self.sink.publish_metrics(step, values, time_ms)
        checkpoint = self.checkpoints.poll(self.db, self.run_state)
        if checkpoint is not None:
            self._announce_checkpoint(checkpoint)
        for step, values in self.league.poll(self.db, self.run_state):
            self.sink.publish_metrics(step, values)
        if games:
            self.games.poll(self.db)
            for state in self.games.due(self.db):
                self.sink.publish_game(state)

    def _announce_start(self):
        self.started = True
        resumed = self.checkpoints.resumed_from
        reason = "resumed at step %d" % resumed.step if resumed else None
        self.sink.publish_event("session.started", state="running", reason=reason)
        log.info("keisei-train is running%s", " (%s)" % reason if reason else "")

    def _announce_checkpoint(self, checkpoint):
        try:
            info = checkpoint_info(checkpoint.path, checkpoint.step)
        except OSError as e:  # gone between the check and the hash: try again on the next read
            log.warning("cannot read checkpoint %s yet: %s", checkpoint.path, e)
            return
        self.sink.publish_event("checkpoint.saved", checkpoint=info)
        self.checkpoints.announced(checkpoint)
        log.info("checkpoint at step %d: %s (%d bytes)", checkpoint.step, checkpoint.path, info["sizeBytes"])

    # -- the end -----------------------------------------------------------------------------------

    def _finish(self, code) -> int:
        self._relay(games=False)  # what Keisei wrote last, and a checkpoint not announced yet
        if self.stop.active:
            return self._stopped()
        if code == 0:
            self.sink.publish_event("session.completed", state="completed")
            log.info("keisei-train completed")
            return EXIT_OK
        how = ("was killed by %s" % signal.Signals(-code).name) if code < 0 else ("exited with code %d" % code)
        print("keisei-train %s" % how, file=sys.stderr, flush=True)
        return EXIT_FAILED

    def _stopped(self) -> int:
        kind = self.stop.kind
        verb = {"stop": "stopped", "pause": "paused", "terminate": "terminated by SIGTERM"}[kind]
        reason = progress_report(verb, self._last_step(), self.checkpoints.latest)
        if kind in ("stop", "pause"):
            self.sink.publish_event("session.stopping" if kind == "stop" else "session.pausing",
                                    state="stopping" if kind == "stop" else "pausing", reason=reason)
        print("keisei-train %s" % reason, file=sys.stderr, flush=True)
        return {"stop": EXIT_OK, "pause": EXIT_PAUSED, "terminate": EXIT_TERMINATED}[kind]

    def _last_step(self) -> int:
        """Keisei's step when it ended, as far as this run told: its last heartbeat or metrics row,
        else the step it resumed from (training_state may still hold the previous attempt's step)."""
        resumed = self.checkpoints.resumed_from
        steps = [resumed.step if resumed else 0]
        if self.run_state.written_by_this_run():
            steps.append(self.run_state.current_step())
        if self.metrics.published_step is not None:
            steps.append(self.metrics.published_step)
        return max(steps)


def progress_report(verb, step, checkpoint) -> str:
    """E.g. "stopped at step 51200; last checkpoint at step 49152: 2048 steps will be redone on resume"."""
    if checkpoint is None:
        return "%s at step %d; no checkpoint yet: the run starts again from step 0 on resume" % (verb, step)
    lost = max(0, step - checkpoint.step)
    if lost == 0:
        return "%s at step %d, the step of the last checkpoint: nothing to redo on resume" % (verb, step)
    return "%s at step %d; last checkpoint at step %d: %d steps will be redone on resume" % (
        verb, step, checkpoint.step, lost)


def main(argv=None, environ=None) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
    environ = os.environ if environ is None else environ
    options = parse_options(sys.argv[1:] if argv is None else argv, environ)
    try:
        settings = load_settings(options.config)
    except ConfigRejected as e:
        print(str(e), file=sys.stderr, flush=True)
        return EXIT_FAILED
    try:
        sink = StreamSink.from_env(environ)
    except ValueError as e:  # a variable training-service sets is missing or malformed
        print("keisei_train_webui: %s" % e, file=sys.stderr, flush=True)
        return EXIT_FAILED
    try:
        return Wrapper(options, settings, sink).run()
    except ChildNotStarted as e:
        print(str(e), file=sys.stderr, flush=True)
        return EXIT_FAILED
    except Exception:
        log.exception("the wrapper failed")
        return EXIT_FAILED
    finally:
        sink.close()


if __name__ == "__main__":
    sys.exit(main())
