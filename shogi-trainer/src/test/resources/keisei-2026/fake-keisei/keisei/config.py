"""``keisei.config.load_config`` with Keisei's contract: read the TOML file, raise ValueError
with a message for what it rejects. This stand-in rejects every [training] key that today's
Keisei does not know, with the wording of Keisei's own message."""

import tomllib

KNOWN_TRAINING_KEYS = {"num_games", "max_ply", "algorithm", "checkpoint_interval", "checkpoint_dir",
                       "algorithm_params", "use_amp"}


def load_config(path):
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    unknown = set(raw.get("training", {})) - KNOWN_TRAINING_KEYS
    if unknown:
        raise ValueError(f"Unknown [training] config keys: {sorted(unknown)}. "
                         f"Valid keys: {sorted(KNOWN_TRAINING_KEYS)}")
    raise AssertionError("the test only gives this stand-in configs it rejects")
