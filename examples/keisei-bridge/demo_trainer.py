"""A stand-in for Keisei's Trainer (August 2025, commit 1ea1111), run through ``train_webui.py``,
to try the bridge without Keisei, PyTorch or a GPU.

Where it matters for the bridge it behaves like Keisei 1ea1111:

* The loop (``TrainingLoopManager.run`` inside ``Trainer.run_training_loop``): epochs of
  ``steps_per_epoch`` steps; the epoch that reaches ``total_timesteps`` ends the loop before its
  PPO update and callbacks; after every other epoch, the PPO update and then the step callbacks,
  Keisei's own first and those added with ``add_callback`` after them (a callback's ``Exception`` is
  logged and training goes on).
* A ``KeyboardInterrupt`` anywhere in the loop is caught (logged and re-raised by the loop manager,
  caught by the trainer), and so are ``RuntimeError``, ``ValueError``, ``AttributeError`` and
  ``ImportError``; either way ``_finalize_training`` runs: ``final_model.pth`` when
  ``total_timesteps`` was reached, and always ``checkpoint_ts{global_timestep}.pth`` (not at step 0,
  not over an existing file).
* Its ``CheckpointCallback`` saves ``checkpoint_ts{step}.pth`` into ``model_dir`` through
  ``model_manager.save_checkpoint``. (Keisei's fires when ``(global_timestep + 1) % interval == 0``,
  which at the end of an epoch hardly ever holds; this one fires whenever an epoch crosses a
  multiple of the interval, so that the periodic files the bridge must announce do appear.)
* ``model_dir`` is ``{savedir}/{run_name}``; ``--resume PATH`` restores the step and the counts.
* Checkpoints are zip archives written in place, as ``torch.save`` writes them.
* With ``--eval-interval``, Keisei's evaluation: its ``EvaluationCallback`` (after the
  CheckpointCallback) calls ``trainer.evaluation_manager.evaluate_current_agent(agent)``, which returns
  an ``EvaluationResult`` shaped like Keisei's (``summary_stats``, ``games`` with ``winner`` and
  ``opponent_info``), then sets ``trainer.evaluation_elo_snapshot`` from its Elo registry (1500, K = 32)
  as Keisei does; with ``--eval-async`` the ``AsyncEvaluationCallback`` instead, run through
  ``evaluate_current_agent_async`` after the step callbacks (``use_async_evaluation``). Results are
  deterministic: the k-th evaluation of G games wins min(G - 1, k + 2), draws one, loses the rest; game
  i is against the i-th opponent of ``--eval-opponents`` in turn and lasts 40 + i moves. (Keisei 1ea1111
  fires only when ``(global_timestep + 1) % interval == 0``, and never updates its registry during
  training; this one fires whenever an epoch crosses a multiple of the interval and updates the
  registry after each evaluation, so that the bridge has changing numbers to publish.)

It also has the attributes the bridge reads (``metrics_manager``, ``last_ppo_metrics``, ``game``,
``agent``, ``config.training``)::

    KEISEI_REDIS_URL=redis://127.0.0.1:6379 KEISEI_SESSION_ID=demo python3 demo_trainer.py --epochs 0

``--epochs 0`` trains until Keisei Web UI says stop or pause. Exit codes: those of train_webui.py.
"""

import argparse
import asyncio
import json
import os
import random
import sys
import time
import types
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import train_webui  # noqa: E402

# A short opening, every game plays (part of) it: (from_row, from_col, to_row, to_col, promote) as in
# Keisei's move tuples, rows a..i = 0..8 from the top, columns 0..8 = files 9..1.
OPENING = [
    ((6, 2, 5, 2, False), "lnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2"),
    ((2, 6, 3, 6, False), "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL b - 3"),
    ((6, 1, 5, 1, False), "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/1PP6/P2PPPPPP/1B5R1/LNSGKGSNL w - 4"),
]
START = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1"


def log_both(message):
    print(message, flush=True)


class CallbackManager:
    """Keisei's CallbackManager, reduced to what the loop uses."""

    def __init__(self, callbacks, async_callbacks=()):
        self.callbacks = list(callbacks)
        self.async_callbacks = list(async_callbacks)

    def add_callback(self, callback):
        self.callbacks.append(callback)

    def execute_step_callbacks(self, trainer):
        for callback in self.callbacks:
            try:
                callback.on_step_end(trainer)
            except Exception as e:  # as Keisei: logged, training goes on (KeyboardInterrupt passes)
                log_both("[ERROR] Callback %s failed: %s" % (type(callback).__name__, e))

    def has_async_callbacks(self):
        return bool(self.async_callbacks)

    async def execute_step_callbacks_async(self, trainer):
        for callback in self.async_callbacks:
            try:
                await callback.on_step_end_async(trainer)
            except Exception as e:
                log_both("[ERROR] Async callback %s failed: %s" % (type(callback).__name__, e))


class _Periodic:
    """Fires when an epoch crosses a multiple of the interval (see the module docstring)."""

    def __init__(self, interval):
        self.interval = interval
        self._last_step = None

    def due(self, step):
        previous, self._last_step = self._last_step, step
        return self.interval > 0 and previous is not None and step // self.interval != previous // self.interval


class EvaluationCallback(_Periodic):
    """Keisei's EvaluationCallback: evaluate_current_agent, then the Elo snapshot from the registry."""

    def on_step_end(self, trainer):
        if self.due(trainer.metrics_manager.global_timestep):
            result = trainer.evaluation_manager.evaluate_current_agent(trainer.agent)
            log_both("Periodic evaluation finished. Results: %s" % (result,))
            trainer.evaluation_manager.update_elo_snapshot(trainer, result)


class AsyncEvaluationCallback(_Periodic):
    """Keisei's AsyncEvaluationCallback: evaluate_current_agent_async, run after the step callbacks."""

    async def on_step_end_async(self, trainer):
        if self.due(trainer.metrics_manager.global_timestep):
            result = await trainer.evaluation_manager.evaluate_current_agent_async(trainer.agent)
            log_both("Async periodic evaluation finished. Results: %s" % (result,))
            trainer.evaluation_manager.update_elo_snapshot(trainer, result)
            return {"evaluation/win_rate": result.summary_stats.win_rate}
        return None


class SummaryStats:
    """Keisei's SummaryStats fields."""

    def __init__(self, games):
        n = len(games)
        self.total_games = n
        self.agent_wins = sum(1 for g in games if g.winner == 0)
        self.opponent_wins = sum(1 for g in games if g.winner == 1)
        self.draws = sum(1 for g in games if g.winner is None)
        self.win_rate = self.agent_wins / n if n else 0.0
        self.loss_rate = self.opponent_wins / n if n else 0.0
        self.draw_rate = self.draws / n if n else 0.0
        self.total_moves = sum(g.moves_count for g in games)
        self.avg_game_length = self.total_moves / n if n else 0.0

    def __repr__(self):
        return "SummaryStats(total_games=%d, win_rate=%s)" % (self.total_games, self.win_rate)


class EvaluationResult:
    """Keisei's EvaluationResult, the parts the bridge reads."""

    def __init__(self, games):
        self.games = games
        self.summary_stats = SummaryStats(games)
        self.analytics_data = {}
        self.errors = []

    def __repr__(self):
        return "EvaluationResult(summary_stats=%r)" % (self.summary_stats,)


class EvaluationManager:
    """Keisei's EvaluationManager entry points, with deterministic results, and its Elo registry."""

    def __init__(self, games, opponents, run_name):
        self.games = games
        self.opponents = opponents
        self.run_name = run_name
        self.count = 0
        self.ratings = {}  # Keisei's EloRegistry: initial 1500, K = 32, one update per evaluation

    def evaluate_current_agent(self, agent):
        self.count += 1
        wins = min(self.games - 1, self.count + 2)
        draws = 1 if self.games - wins >= 1 else 0
        games = []
        for i in range(self.games):
            name = self.opponents[i % len(self.opponents)]
            winner = 0 if i < wins else (None if i < wins + draws else 1)
            games.append(types.SimpleNamespace(
                game_id="eval-%d-%d" % (self.count, i), winner=winner, moves_count=40 + i,
                opponent_info=types.SimpleNamespace(name=name, type="random" if name == "random" else "ppo")))
        return EvaluationResult(games)

    async def evaluate_current_agent_async(self, agent):
        await asyncio.sleep(0)
        return self.evaluate_current_agent(agent)

    def update_elo_snapshot(self, trainer, result):
        """As Keisei's EloRegistry.update_ratings (the score over all games, one K = 32 step), then the
        snapshot its evaluation callbacks set."""
        opponent = self.opponents[0]
        r1 = self.ratings.setdefault(self.run_name, 1500.0)
        r2 = self.ratings.setdefault(opponent, 1500.0)
        n = result.summary_stats.total_games
        score = (result.summary_stats.agent_wins + 0.5 * result.summary_stats.draws) / n
        expected = 1.0 / (1.0 + 10.0 ** ((r2 - r1) / 400.0))
        self.ratings[self.run_name] = r1 + 32.0 * (score - expected)
        self.ratings[opponent] = r2 + 32.0 * ((1 - score) - (1 - expected))
        trainer.evaluation_elo_snapshot = {
            "current_id": self.run_name, "current_rating": self.ratings[self.run_name],
            "opponent_id": opponent, "opponent_rating": self.ratings[opponent],
            "last_outcome": "win" if score > 0.5 else "loss" if score < 0.5 else "draw",
            "top_ratings": sorted(self.ratings.items(), key=lambda x: x[1], reverse=True)[:3]}


class CheckpointCallback:
    """Keisei's periodic checkpoint callback (see the module docstring for its one difference)."""

    def __init__(self, interval, model_dir):
        self.interval = interval
        self.model_dir = model_dir
        self._last_step = None

    def on_step_end(self, trainer):
        step = trainer.metrics_manager.global_timestep
        previous, self._last_step = self._last_step, step
        if self.interval <= 0 or previous is None or step // self.interval == previous // self.interval:
            return
        mm = trainer.metrics_manager
        ok, path = trainer.model_manager.save_checkpoint(
            agent=trainer.agent, model_dir=self.model_dir, timestep=step, episode_count=mm.total_episodes_completed,
            stats=mm.stats(), run_name=trainer.run_name, is_wandb_active=False)
        log_both("Checkpoint saved via ModelManager to %s" % path if ok else "[ERROR] CheckpointCallback failed")


class MetricsManager:
    def __init__(self):
        self.global_timestep = 0
        self.total_episodes_completed = 0
        self.black_wins = 0
        self.white_wins = 0
        self.draws = 0

    def stats(self):
        return {"black_wins": self.black_wins, "white_wins": self.white_wins, "draws": self.draws}

    def restore_from_checkpoint(self, data):
        self.global_timestep = data["global_timestep"]
        self.total_episodes_completed = data["total_episodes_completed"]
        for key, value in (data.get("stats") or {}).items():
            setattr(self, key, value)


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
    def __init__(self, seed):
        self.weights = bytearray(random.Random(seed).randbytes(4096))
        self.last_gradient_norm = 0.5

    def save_model(self, file_path, global_timestep=0, total_episodes_completed=0, stats_to_save=None):
        """Keisei's PPOAgent.save_model signature; a zip archive like torch.save's, written in place."""
        meta = {"global_timestep": global_timestep, "total_episodes_completed": total_episodes_completed,
                "stats": stats_to_save or {}}
        with zipfile.ZipFile(file_path, "w") as z:
            z.writestr("archive/data.pkl", bytes(self.weights))
            z.writestr("archive/keisei.json", json.dumps(meta))

    @staticmethod
    def load_model(file_path):
        with zipfile.ZipFile(file_path) as z:
            return json.loads(z.read("archive/keisei.json"))


class ModelManager:
    """Keisei's ModelManager checkpoint methods: (ok, path); step 0 and existing files are not written."""

    def save_checkpoint(self, agent, model_dir, timestep, episode_count, stats, run_name, is_wandb_active,
                        checkpoint_name_prefix="checkpoint_ts"):
        if timestep <= 0:
            return False, None
        path = os.path.join(model_dir, "%s%d.pth" % (checkpoint_name_prefix, timestep))
        if not os.path.exists(path):
            os.makedirs(model_dir, exist_ok=True)
            agent.save_model(path, timestep, episode_count, stats_to_save=stats)
        return True, path

    def save_final_checkpoint(self, agent, model_dir, global_timestep, total_episodes_completed, game_stats, run_name,
                              is_wandb_active):
        return self.save_checkpoint(agent, model_dir, global_timestep, total_episodes_completed, game_stats, run_name,
                                    is_wandb_active)

    @staticmethod
    def save_final_model(agent, model_dir, global_timestep, total_episodes_completed, game_stats, run_name,
                         is_wandb_active):
        path = os.path.join(model_dir, "final_model.pth")
        agent.save_model(path, global_timestep, total_episodes_completed)
        return True, path


class DemoTrainer:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        spe = args.steps_per_epoch
        total = spe * args.epochs if args.epochs > 0 else 10 ** 12
        self.config = types.SimpleNamespace(training=types.SimpleNamespace(total_timesteps=total, steps_per_epoch=spe))
        self.step_sleep = args.step_sleep
        self.epoch_sleep = args.sleep
        self.fail_after_epochs = args.fail_after_epochs
        self.run_name = args.run_name
        self.model_dir = os.path.join(args.savedir, args.run_name)
        os.makedirs(self.model_dir, exist_ok=True)
        self.metrics_manager = MetricsManager()
        self.game = Game()
        self.agent = Agent(args.seed)
        self.model_manager = ModelManager()
        callbacks = [CheckpointCallback(args.checkpoint_interval, self.model_dir)]
        async_callbacks = []
        self.evaluation_elo_snapshot = None
        if args.eval_interval > 0:
            opponents = [o for o in args.eval_opponents.split(",") if o] or ["random"]
            self.evaluation_manager = EvaluationManager(args.eval_games, opponents, args.run_name)
            if args.eval_async:
                async_callbacks.append(AsyncEvaluationCallback(args.eval_interval))
            else:
                callbacks.append(EvaluationCallback(args.eval_interval))
        self.callback_manager = CallbackManager(callbacks, async_callbacks)
        self.last_ppo_metrics = {}
        if args.resume:
            self.metrics_manager.restore_from_checkpoint(self.agent.load_model(args.resume))
            log_both("Resumed from checkpoint %s at step %d" % (args.resume, self.metrics_manager.global_timestep))

    def run_training_loop(self):
        try:
            try:
                self._loop()
            except KeyboardInterrupt:
                log_both("Training interrupted by user (KeyboardInterrupt in TrainingLoopManager).")
                raise
        except KeyboardInterrupt:
            log_both("Trainer caught KeyboardInterrupt from TrainingLoopManager. Finalizing.")
        except (RuntimeError, ValueError, AttributeError, ImportError) as e:
            log_both("Trainer caught unhandled exception from TrainingLoopManager: %s. Finalizing." % e)
        finally:
            self._finalize_training()

    def _loop(self):
        mm = self.metrics_manager
        epoch = 0
        while mm.global_timestep < self.config.training.total_timesteps:
            epoch += 1
            self._collect_epoch()
            if mm.global_timestep >= self.config.training.total_timesteps:
                break
            if self.fail_after_epochs and epoch > self.fail_after_epochs:
                raise RuntimeError("stand-in failure in epoch %d" % epoch)
            self._learn()
            self.callback_manager.execute_step_callbacks(self)
            if self.callback_manager.has_async_callbacks():  # as Keisei's loop: after the step callbacks
                asyncio.run(self.callback_manager.execute_step_callbacks_async(self))
            log_both("step %d" % mm.global_timestep)
            time.sleep(self.epoch_sleep)

    def _collect_epoch(self):
        mm = self.metrics_manager
        for _ in range(self.config.training.steps_per_epoch):
            if mm.global_timestep >= self.config.training.total_timesteps:
                return
            if self.step_sleep:
                time.sleep(self.step_sleep)
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
            mm.global_timestep += 1

    def _learn(self):
        t = self.metrics_manager.global_timestep
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

    def _finalize_training(self):
        mm = self.metrics_manager
        log_both("Training loop finished at timestep %d." % mm.global_timestep)
        if mm.global_timestep >= self.config.training.total_timesteps:
            self.model_manager.save_final_model(self.agent, self.model_dir, mm.global_timestep,
                                                mm.total_episodes_completed, mm.stats(), self.run_name, False)
            log_both("completed at step %d" % mm.global_timestep)
        ok, path = self.model_manager.save_final_checkpoint(self.agent, self.model_dir, mm.global_timestep,
                                                            mm.total_episodes_completed, mm.stats(), self.run_name, False)
        if ok:
            log_both("Final checkpoint saved to %s" % path)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=0, help="epochs to train; 0 = until stopped")
    p.add_argument("--steps-per-epoch", type=int, default=64)
    p.add_argument("--step-sleep", type=float, default=0.0, help="seconds per step (a long epoch)")
    p.add_argument("--sleep", type=float, default=0.05, help="seconds after each epoch besides the work")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--savedir", default=os.environ.get("KEISEI_CHECKPOINT_DIR") or "models",
                   help="Keisei's --savedir: model_dir is SAVEDIR/RUN_NAME")
    p.add_argument("--run-name", default="demo")
    p.add_argument("--resume", default=None, help="a checkpoint to resume from")
    p.add_argument("--checkpoint-interval", type=int, default=0, help="steps between periodic checkpoints; 0 = none")
    p.add_argument("--fail-after-epochs", type=int, default=0,
                   help="raise a RuntimeError (which the loop swallows, as Keisei's does) after this many epochs")
    p.add_argument("--eval-interval", type=int, default=0, help="steps between Keisei evaluations; 0 = none")
    p.add_argument("--eval-games", type=int, default=10, help="games per evaluation")
    p.add_argument("--eval-opponents", default="random", help="the opponents of an evaluation, comma-separated")
    p.add_argument("--eval-async", action="store_true", help="Keisei's async evaluation callback instead of the sync one")
    p.add_argument("--save-callable", action="store_true",
                   help="save checkpoint_now checkpoints through save_checkpoint= instead of Keisei's mechanisms")
    p.add_argument("--flush-timeout", type=float, default=None,
                   help="seconds the bridge spends delivering queued messages before exiting")
    return p.parse_args(argv)


def bridge_options(args):
    options = {}
    if args.flush_timeout is not None:
        options["flush_timeout"] = args.flush_timeout
    if args.save_callable:
        def save(trainer):
            directory = os.environ.get("KEISEI_CHECKPOINT_DIR") or trainer.model_dir
            os.makedirs(directory, exist_ok=True)
            mm = trainer.metrics_manager
            path = os.path.join(directory, "custom_ts%d.pth" % mm.global_timestep)
            trainer.agent.save_model(path, mm.global_timestep, mm.total_episodes_completed)
            return path
        options["save_checkpoint"] = save
    return options


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    return train_webui.main(argv, build_trainer=lambda _argv: DemoTrainer(args), **bridge_options(args))


if __name__ == "__main__":
    sys.exit(main())
