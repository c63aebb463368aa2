"""A stand-in for a Keisei training run, to try the bridge without Keisei, PyTorch or a GPU.

The trainer object has the attribute shapes of Keisei's ``Trainer`` that the bridge reads
(``metrics_manager`` with ``global_timestep``, ``total_episodes_completed``, ``black_wins``,
``white_wins``, ``draws``; ``last_ppo_metrics``; ``game`` with ``to_sfen_string()``,
``move_count``, ``move_history`` and ``sfen_encode_move()``; ``agent.save_model()``;
``callback_manager.add_callback()``; ``config.training.total_timesteps``), and a loop that
calls ``on_step_end`` once per "epoch" like Keisei's CallbackManager.

    KEISEI_REDIS_URL=redis://127.0.0.1:6379 KEISEI_SESSION_ID=demo python3 demo_trainer.py --epochs 0

``--epochs 0`` trains until Keisei Web UI says stop or pause. Exit codes: 0 stopped or
completed, 10 paused (1 when a stop/pause could not write a checkpoint).
"""

import argparse
import os
import random
import sys
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from keisei_bridge import KeiseiWebUICallback  # noqa: E402

# A short opening, every game plays (part of) it: (from_row, from_col, to_row, to_col, promote) as in
# Keisei's move tuples, rows a..i = 0..8 from the top, columns 0..8 = files 9..1.
OPENING = [
    ((6, 2, 5, 2, False), "lnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2"),
    ((2, 6, 3, 6, False), "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL b - 3"),
    ((6, 1, 5, 1, False), "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/1PP6/P2PPPPPP/1B5R1/LNSGKGSNL w - 4"),
]
START = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1"


class CallbackManager:
    """Keisei's CallbackManager, reduced to what the loop uses."""

    def __init__(self):
        self.callbacks = []

    def add_callback(self, callback):
        self.callbacks.append(callback)

    def execute_step_callbacks(self, trainer):
        for callback in self.callbacks:
            try:
                callback.on_step_end(trainer)
            except Exception as e:  # Keisei logs failing callbacks and goes on; SystemExit passes
                print("[ERROR] Callback %s failed: %s" % (type(callback).__name__, e), flush=True)


class MetricsManager:
    def __init__(self):
        self.global_timestep = 0
        self.total_episodes_completed = 0
        self.black_wins = 0
        self.white_wins = 0
        self.draws = 0


class Game:
    def __init__(self):
        self.reset()

    def reset(self):
        self.move_count = 0
        self.move_history = []
        self.game_over = False
        self.winner = None
        self.termination_reason = None

    def make_move(self):
        move, _ = OPENING[self.move_count]
        self.move_history.append(move)
        self.move_count += 1

    def to_sfen_string(self):
        return START if self.move_count == 0 else OPENING[self.move_count - 1][1]

    @staticmethod
    def sfen_encode_move(move):
        fr, fc, tr, tc, promote = move
        return "%d%s%d%s%s" % (9 - fc, chr(ord("a") + fr), 9 - tc, chr(ord("a") + tr), "+" if promote else "")


class Agent:
    def __init__(self):
        self.weights = bytearray(os.urandom(4096))
        self.last_gradient_norm = 0.5

    def save_model(self, file_path, global_timestep=0, total_episodes_completed=0, stats_to_save=None):
        """Keisei's PPOAgent.save_model signature; writes a stand-in .pth file."""
        tmp = file_path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(b"DEMO-CHECKPOINT %d %d %r\n" % (global_timestep, total_episodes_completed, stats_to_save))
            f.write(bytes(self.weights))
        os.replace(tmp, file_path)


class DemoTrainer:
    def __init__(self, steps_per_epoch, epochs, seed, model_dir):
        self.rng = random.Random(seed)
        self.steps_per_epoch = steps_per_epoch
        total = steps_per_epoch * epochs if epochs > 0 else 10 ** 12
        self.config = types.SimpleNamespace(training=types.SimpleNamespace(total_timesteps=total,
                                                                           steps_per_epoch=steps_per_epoch))
        self.metrics_manager = MetricsManager()
        self.callback_manager = CallbackManager()
        self.game = Game()
        self.agent = Agent()
        self.model_dir = model_dir
        self.run_name = "demo"
        self.last_ppo_metrics = {}

    def run_training_loop(self, sleep):
        mm = self.metrics_manager
        while mm.global_timestep < self.config.training.total_timesteps:
            self.collect_and_learn()
            self.callback_manager.execute_step_callbacks(self)
            print("step %d" % mm.global_timestep, flush=True)
            time.sleep(sleep)

    def collect_and_learn(self):
        mm = self.metrics_manager
        for _ in range(self.steps_per_epoch):
            mm.global_timestep += 1
            if self.game.move_count >= len(OPENING) or (self.game.move_count > 0 and self.rng.random() < 0.2):
                outcome = self.rng.random()
                if outcome < 0.45:
                    mm.black_wins += 1
                elif outcome < 0.9:
                    mm.white_wins += 1
                else:
                    mm.draws += 1
                mm.total_episodes_completed += 1
                self.game.reset()
            else:
                self.game.make_move()
        t = mm.global_timestep
        self.agent.weights[t % len(self.agent.weights)] ^= 0xFF
        self.last_ppo_metrics = {
            "ppo/policy_loss": 1.0 / (1 + t / 1000.0),
            "ppo/value_loss": 0.5 / (1 + t / 2000.0),
            "ppo/entropy": 9.5 - t / 100000.0,
            "ppo/kl_divergence_approx": 0.01 + self.rng.random() * 0.001,
            "ppo/clip_fraction": 0.1,
            "ppo/learning_rate": 3e-4,
            "ppo/nan_metric": float("nan"),  # never sent: only finite numbers go on the wire
            "ppo/inf_metric": float("inf"),
        }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=0, help="epochs to train; 0 = until stopped")
    p.add_argument("--steps-per-epoch", type=int, default=64)
    p.add_argument("--sleep", type=float, default=0.05, help="seconds per epoch besides the work")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--model-dir", default="models/demo", help="fallback checkpoint directory")
    p.add_argument("--save-callable", action="store_true",
                   help="save through save_checkpoint= instead of Keisei's agent.save_model")
    p.add_argument("--flush-timeout", type=float, default=None,
                   help="seconds the bridge spends delivering queued messages before exiting")
    args = p.parse_args()

    trainer = DemoTrainer(args.steps_per_epoch, args.epochs, args.seed, args.model_dir)
    overrides = {}
    if args.flush_timeout is not None:
        overrides["flush_timeout"] = args.flush_timeout
    if args.save_callable:
        def save(tr):
            directory = os.environ.get("KEISEI_CHECKPOINT_DIR") or tr.model_dir
            os.makedirs(directory, exist_ok=True)
            path = os.path.join(directory, "custom_ts%d.pth" % tr.metrics_manager.global_timestep)
            tr.agent.save_model(path, tr.metrics_manager.global_timestep, tr.metrics_manager.total_episodes_completed)
            return path
        overrides["save_checkpoint"] = save

    # The three lines a Keisei user adds:
    bridge = KeiseiWebUICallback.from_env(**overrides)
    trainer.callback_manager.add_callback(bridge)
    trainer.run_training_loop(args.sleep)
    bridge.on_training_end(trainer)
    print("completed at step %d" % trainer.metrics_manager.global_timestep, flush=True)


if __name__ == "__main__":
    main()
