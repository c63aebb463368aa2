-- The tables keisei_train_webui.py reads, exactly as today's Keisei creates them.
--
-- Source: tachyon-beep/keisei at 08747e10cde233d5c4e4244dbf01b8bfc5c19ccc (2026-05-06), the DDL
-- constants of keisei/db/metrics.py, keisei/db/snapshots.py, keisei/db/training_state.py and
-- keisei/db/league.py (league_entries, league_results, elo_history and their indexes), in the
-- order keisei.db.init_db runs them (schema_version first). Keisei's other tables (head_to_head,
-- gauntlet_results, tournament_*, showcase_*, league_transitions, league_meta, ...) are not read
-- by the wrapper and are left out. Keisei's SCHEMA_VERSION at that commit is 8.
--
-- Keep the CREATE statements byte-for-byte as Keisei has them: the test's claim is that the
-- wrapper reads databases of this exact shape.

CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS metrics (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    epoch              INTEGER NOT NULL,
    step               INTEGER NOT NULL,
    policy_loss        REAL,
    value_loss         REAL,
    entropy            REAL,
    win_rate           REAL,
    loss_rate          REAL,
    black_win_rate     REAL,
    white_win_rate     REAL,
    draw_rate          REAL,
    truncation_rate    REAL,
    avg_episode_length REAL,
    gradient_norm      REAL,
    episodes_completed INTEGER,
    timestamp          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS idx_metrics_epoch ON metrics(epoch);
CREATE INDEX IF NOT EXISTS idx_metrics_id ON metrics(id);

CREATE TABLE IF NOT EXISTS game_snapshots (
    game_id           INTEGER PRIMARY KEY,
    board_json        TEXT NOT NULL,
    hands_json        TEXT NOT NULL,
    current_player    TEXT NOT NULL,
    ply               INTEGER NOT NULL,
    is_over           INTEGER NOT NULL,
    result            TEXT NOT NULL,
    sfen              TEXT NOT NULL,
    in_check          INTEGER NOT NULL,
    move_history_json TEXT NOT NULL,
    value_estimate    REAL NOT NULL DEFAULT 0.0,
    game_type         TEXT NOT NULL DEFAULT 'live',
    demo_slot         INTEGER,
    opponent_id       INTEGER REFERENCES league_entries(id),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS training_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    config_json      TEXT NOT NULL,
    display_name     TEXT NOT NULL,
    model_arch       TEXT NOT NULL,
    algorithm_name   TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    current_epoch    INTEGER NOT NULL DEFAULT 0,
    current_step     INTEGER NOT NULL DEFAULT 0,
    checkpoint_path  TEXT,
    total_epochs     INTEGER,
    status           TEXT NOT NULL DEFAULT 'running',
    phase            TEXT NOT NULL DEFAULT 'init',
    heartbeat_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    learner_entry_id INTEGER
);

CREATE TABLE IF NOT EXISTS league_entries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name    TEXT NOT NULL DEFAULT '',
    flavour_facts   TEXT NOT NULL DEFAULT '[]',
    architecture    TEXT NOT NULL,
    model_params    TEXT NOT NULL,
    checkpoint_path TEXT NOT NULL,
    elo_rating      REAL NOT NULL DEFAULT 1000.0,
    created_epoch   INTEGER NOT NULL,
    games_played    INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    role            TEXT NOT NULL DEFAULT 'unassigned',
    status          TEXT NOT NULL DEFAULT 'active',
    parent_entry_id INTEGER REFERENCES league_entries(id),
    lineage_group   TEXT,
    protection_remaining INTEGER NOT NULL DEFAULT 0,
    last_match_at   TEXT,
    elo_frontier    REAL NOT NULL DEFAULT 1000.0,
    elo_dynamic     REAL NOT NULL DEFAULT 1000.0,
    elo_recent      REAL NOT NULL DEFAULT 1000.0,
    elo_historical  REAL NOT NULL DEFAULT 1000.0,
    optimizer_path  TEXT,
    update_count    INTEGER NOT NULL DEFAULT 0,
    last_train_at   TEXT,
    retired_at      TEXT,
    training_enabled INTEGER NOT NULL DEFAULT 1,
    games_vs_frontier INTEGER NOT NULL DEFAULT 0,
    games_vs_dynamic  INTEGER NOT NULL DEFAULT 0,
    games_vs_recent   INTEGER NOT NULL DEFAULT 0,
    dynamic_update_worker TEXT
);
CREATE TABLE IF NOT EXISTS league_results (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    epoch               INTEGER NOT NULL,
    entry_a_id          INTEGER NOT NULL REFERENCES league_entries(id),
    entry_b_id          INTEGER NOT NULL REFERENCES league_entries(id),
    match_type          TEXT NOT NULL,
    role_a              TEXT,
    role_b              TEXT,
    num_games           INTEGER NOT NULL,
    wins_a              INTEGER NOT NULL,
    wins_b              INTEGER NOT NULL,
    draws               INTEGER NOT NULL,
    elo_before_a        REAL,
    elo_after_a         REAL,
    elo_before_b        REAL,
    elo_after_b         REAL,
    training_updates_a  INTEGER,
    training_updates_b  INTEGER,
    recorded_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS idx_league_results_epoch ON league_results(epoch);
CREATE INDEX IF NOT EXISTS idx_league_entries_elo ON league_entries(elo_rating);
CREATE INDEX IF NOT EXISTS idx_league_results_entry_a ON league_results(entry_a_id);
CREATE INDEX IF NOT EXISTS idx_league_results_entry_b ON league_results(entry_b_id);
CREATE TABLE IF NOT EXISTS elo_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id    INTEGER NOT NULL REFERENCES league_entries(id),
    epoch       INTEGER NOT NULL,
    elo_rating  REAL NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS idx_elo_history_entry ON elo_history(entry_id);
CREATE INDEX IF NOT EXISTS idx_elo_history_entry_epoch ON elo_history(entry_id, epoch);
