"""A file-format fixture for today's Keisei (keisei-train 2026): writes a Keisei SQLite database
the way Keisei writes it, one command at a time, so a test can watch what a reader sees.

This is not a fake trainer. It trains nothing, plays no games and knows no Shogi: it applies
Keisei's exact DDL (keisei_schema.sql, copied from Keisei's keisei/db/*.py) and then performs
the same kinds of writes Keisei performs, with the same connection settings:

* every operation opens its own connection (WAL journal, busy_timeout 5000,
  wal_autocheckpoint 1000, foreign keys on) and closes it, as keisei.db._connect does;
* the per-epoch summary is one transaction (metrics INSERT + training_state UPDATE) followed by
  ``PRAGMA wal_checkpoint(TRUNCATE)``;
* live games are ``INSERT OR REPLACE``d into game_snapshots in one transaction, with
  ``updated_at`` from SQLite's clock in milliseconds;
* the heartbeat is an UPDATE of training_state's epoch, step, phase and heartbeat_at;
* a checkpoint file is written to ``epoch_NNNNN.pt.tmp``, renamed to ``epoch_NNNNN.pt``, and
  only then recorded in training_state.checkpoint_path (with epoch + 1 and the step);
* ``hang_in_transaction`` begins a write transaction large enough to spill uncommitted pages into
  the WAL, reports that, and waits to be SIGKILLed: a writer killed mid-transaction.

Usage: ``python3 keisei_db_writer.py DB_PATH``. Commands arrive on stdin, one JSON object per line
(``{"op": "epoch", ...}``); each is answered on stdout by one JSON line, ``{"ok": op, ...}`` or
``{"error": message}``. Python standard library only.
"""

import json
import os
import sqlite3
import sys
import time

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keisei_schema.sql")
SCHEMA_VERSION = 8  # keisei.db.SCHEMA_VERSION at the commit the DDL comes from

METRIC_COLUMNS = ("policy_loss", "value_loss", "entropy", "win_rate", "loss_rate", "black_win_rate",
                  "white_win_rate", "draw_rate", "truncation_rate", "avg_episode_length", "gradient_norm",
                  "episodes_completed")
NOW_SECONDS = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
NOW_MILLIS = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


def connect(db_path):
    """The connection settings of keisei.db._connect."""
    conn = sqlite3.connect(db_path, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA wal_autocheckpoint = 1000")
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Writer:
    def __init__(self, db_path):
        self.db_path = db_path

    def _write(self, fn):
        conn = connect(self.db_path)
        try:
            result = fn(conn)
            conn.commit()
            return result
        finally:
            conn.close()

    def init(self, cmd):
        """keisei.db.init_db: the DDL in one executescript, then the schema version row."""
        with open(SCHEMA, encoding="utf-8") as f:
            ddl = f.read()

        def run(conn):
            conn.executescript(ddl)
            if conn.execute("SELECT version FROM schema_version").fetchone() is None:
                conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
        self._write(run)
        return {}

    def fresh_start(self, cmd):
        """A run without a checkpoint to resume: the training_state row is INSERT OR REPLACEd
        (status running, phase init, heartbeat_at defaulting to now)."""
        self._write(lambda conn: conn.execute(
            "INSERT OR REPLACE INTO training_state (id, config_json, display_name, model_arch, algorithm_name, "
            "started_at, current_epoch, current_step, checkpoint_path, total_epochs, status, phase, learner_entry_id) "
            "VALUES (1, ?, ?, ?, 'katago_ppo', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, 0, NULL, NULL, "
            "'running', 'init', NULL)",
            (json.dumps({"training": {"num_games": 8}}), cmd.get("display_name", "Musashi"),
             cmd.get("architecture", "se_resnet"))))
        return {}

    def total_epochs(self, cmd):
        self._write(lambda conn: conn.execute("UPDATE training_state SET total_epochs = ? WHERE id = 1",
                                              (cmd["value"],)))
        return {}

    def heartbeat(self, cmd):
        """The heartbeat Keisei writes at phase changes and at least every 10 s."""
        self._write(lambda conn: conn.execute(
            "UPDATE training_state SET current_epoch = ?, current_step = ?, heartbeat_at = " + NOW_SECONDS
            + ", phase = ? WHERE id = 1", (cmd["epoch"], cmd["step"], cmd.get("phase", "rollout"))))
        return {}

    def epoch(self, cmd):
        """The end of an epoch: metrics INSERT and progress UPDATE in one transaction, then a
        TRUNCATE checkpoint of the WAL."""
        values = cmd.get("metrics", {})
        conn = connect(self.db_path)
        try:
            conn.execute("BEGIN")
            cur = conn.execute(
                "INSERT INTO metrics (epoch, step, " + ", ".join(METRIC_COLUMNS) + ") VALUES (?, ?, "
                + ", ".join("?" for _ in METRIC_COLUMNS) + ")",
                [cmd["epoch"], cmd["step"]] + [values.get(c) for c in METRIC_COLUMNS])
            conn.execute("UPDATE training_state SET current_epoch = ?, current_step = ?, heartbeat_at = "
                         + NOW_SECONDS + " WHERE id = 1", (cmd["epoch"], cmd["step"]))
            conn.commit()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return {"id": cur.lastrowid}
        finally:
            conn.close()

    def snapshots(self, cmd):
        """Live games, INSERT OR REPLACEd in one transaction."""
        def run(conn):
            conn.execute("BEGIN")
            for g in cmd["games"]:
                conn.execute(
                    "INSERT OR REPLACE INTO game_snapshots (game_id, board_json, hands_json, current_player, ply, "
                    "is_over, result, sfen, in_check, move_history_json, value_estimate, game_type, demo_slot, "
                    "opponent_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, " + NOW_MILLIS + ")",
                    (g["game_id"], "[]", json.dumps({"black": {}, "white": {}}), g["current_player"], g["ply"],
                     int(g.get("is_over", False)), g.get("result", "in_progress"), g["sfen"], 0,
                     json.dumps(history(g.get("moves", []), g.get("with_usi", True))), 0.0,
                     g.get("game_type", "live"), g.get("opponent_id")))
        self._write(run)
        return {}

    def checkpoint(self, cmd):
        """A checkpoint: temp file, rename, then the path recorded with epoch + 1 and the step."""
        directory = cmd["dir"]
        os.makedirs(directory, exist_ok=True)
        final = os.path.join(directory, "epoch_%05d.pt" % cmd["epoch"])
        tmp = final[:-len(".pt")] + ".pt.tmp"
        with open(tmp, "wb") as f:
            f.write(checkpoint_bytes(cmd["epoch"], cmd["step"], cmd.get("size", 4096)))
            f.flush()
            os.fsync(f.fileno())
        time.sleep(cmd.get("rename_after", 0))
        os.rename(tmp, final)
        self._write(lambda conn: conn.execute(
            "UPDATE training_state SET current_epoch = ?, current_step = ?, heartbeat_at = " + NOW_SECONDS
            + ", checkpoint_path = ? WHERE id = 1", (cmd["epoch"] + 1, cmd["step"], final)))
        return {"path": final}

    def league_entry(self, cmd):
        def run(conn):
            return conn.execute(
                "INSERT INTO league_entries (display_name, architecture, model_params, checkpoint_path, elo_rating, "
                "created_epoch, role) VALUES (?, ?, '{}', ?, ?, ?, ?)",
                (cmd.get("display_name", ""), cmd.get("architecture", "se_resnet"), cmd.get("checkpoint_path", "x.pt"),
                 cmd.get("elo", 1000.0), cmd.get("created_epoch", 0), cmd.get("role", "frontier_static"))).lastrowid
        return {"id": self._write(run)}

    def learner(self, cmd):
        self._write(lambda conn: conn.execute("UPDATE training_state SET learner_entry_id = ? WHERE id = 1",
                                              (cmd["entry_id"],)))
        return {}

    def elo(self, cmd):
        """A rating change: the entry's elo_rating and a row of elo_history."""
        def run(conn):
            conn.execute("UPDATE league_entries SET elo_rating = ? WHERE id = ?", (cmd["elo"], cmd["entry_id"]))
            conn.execute("INSERT INTO elo_history (entry_id, epoch, elo_rating) VALUES (?, ?, ?)",
                         (cmd["entry_id"], cmd["epoch"], cmd["elo"]))
        self._write(run)
        return {}

    def league_result(self, cmd):
        self._write(lambda conn: conn.execute(
            "INSERT INTO league_results (epoch, entry_a_id, entry_b_id, match_type, num_games, wins_a, wins_b, draws, "
            "elo_before_a, elo_after_a, elo_before_b, elo_after_b) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (cmd["epoch"], cmd["a"], cmd["b"], cmd.get("match_type", "calibration"), cmd["num_games"], cmd["wins_a"],
             cmd["wins_b"], cmd["draws"], cmd.get("elo_before_a"), cmd.get("elo_after_a"), cmd.get("elo_before_b"),
             cmd.get("elo_after_b"))))
        return {}

    def retire(self, cmd):
        self._write(lambda conn: conn.execute(
            "UPDATE league_entries SET status = 'retired', retired_at = " + NOW_SECONDS + " WHERE id = ?",
            (cmd["entry_id"],)))
        return {}

    def hang_in_transaction(self, cmd):
        """Begins a write transaction, writes enough to spill uncommitted pages into the WAL (a tiny
        page cache), answers, and waits forever without committing: the test SIGKILLs us here."""
        conn = connect(self.db_path)
        conn.execute("PRAGMA cache_size = 2")
        conn.execute("BEGIN IMMEDIATE")
        for i in range(cmd.get("rows", 2000)):
            conn.execute("INSERT INTO metrics (epoch, step, policy_loss, timestamp) VALUES (?, ?, ?, ?)",
                         (cmd["epoch"], cmd["step"] + i, 1.0, "x" * 200))
        conn.execute("UPDATE training_state SET checkpoint_path = ?, current_step = ? WHERE id = 1",
                     (cmd.get("checkpoint_path", "/nonexistent/epoch_99999.pt"), cmd["step"]))
        wal = self.db_path + "-wal"
        reply({"ok": "hang_in_transaction", "walBytes": os.path.getsize(wal) if os.path.exists(wal) else 0,
               "pid": os.getpid()})
        while True:
            time.sleep(60)


def history(moves, with_usi):
    """move_history_json as Keisei's VecEnv gives it: action index, Hodges notation and USI (the
    single-game SpectatorEnv gives no USI)."""
    out = []
    for i, usi in enumerate(moves):
        entry = {"action": i, "notation": "?-" + usi[-2:]}
        if with_usi:
            entry["usi"] = usi
        out.append(entry)
    return out


def checkpoint_bytes(epoch, step, size):
    """Deterministic content (the test hashes the file itself, so any bytes would do)."""
    seed = ("keisei checkpoint epoch=%d step=%d\n" % (epoch, step)).encode()
    return (seed * (size // len(seed) + 1))[:size]


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    writer = Writer(sys.argv[1])
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            cmd = json.loads(line)
            op = cmd["op"]
            if op == "exit":
                reply({"ok": "exit"})
                return 0
            handler = getattr(writer, op, None)
            if handler is None or op.startswith("_"):
                raise ValueError("unknown op %r" % op)
            result = handler(cmd)
            result["ok"] = op
            reply(result)
        except Exception as e:  # report and go on: the test decides what an error means
            reply({"error": "%s: %s" % (type(e).__name__, e)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
