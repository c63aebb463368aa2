"""Keisei (August 2025, commit 1ea1111) training with Keisei Web UI attached.

Takes the arguments of Keisei's ``train`` command and builds Keisei's ``Trainer`` the way
``keisei/training/train.py run_training_command`` does (W&B sweep overrides, ``--override``
pairs, the direct flags, ``load_config``, ``Trainer(config, args)``, async evaluation), then runs it
with the Keisei Web UI bridge::

    python train_webui.py train --config CONFIG.json --savedir DIR [--resume PATH] [...]

The bridge is built first, so the heartbeat runs (and SIGTERM is a stop) while Keisei sets up,
which can take a while. ``session.started`` is published just before the training loop starts.
Exit codes: 0 stopped or completed, 10 paused, 1 failed (or a stop/pause without a checkpoint);
argument errors exit with 2 as in Keisei.

Keisei is imported only when a trainer is built, so this module can be read and tested without it.
"""

import logging
import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from keisei_bridge import EXIT_FAILED, KeiseiWebUICallback  # noqa: E402

log = logging.getLogger("keisei_bridge")


def keisei_overrides(override_pairs, direct_overrides, sweep_overrides):
    """The overrides run_training_command passes to load_config: ``--override KEY=VALUE`` pairs
    (pairs without "=" are ignored), then the direct flags (build_cli_overrides), over the W&B
    sweep's values."""
    cli = {}
    for pair in override_pairs or []:
        if "=" in pair:
            key, value = pair.split("=", 1)
            cli[key] = value
    cli.update(direct_overrides)
    merged = dict(sweep_overrides)
    merged.update(cli)
    return merged


def build_keisei_trainer(argv):
    """Keisei's Trainer for a ``train`` command line, built as run_training_command builds it."""
    from keisei.training.train import create_main_parser
    from keisei.training.trainer import Trainer
    from keisei.training.utils import apply_wandb_sweep_config, build_cli_overrides
    from keisei.utils import load_config

    parser = create_main_parser()
    args = parser.parse_args(argv)
    if args.command != "train":
        parser.error("train_webui.py runs Keisei's train command (got %r)" % (args.command,))
    overrides = keisei_overrides(args.override, build_cli_overrides(args), apply_wandb_sweep_config())
    config = load_config(args.config, overrides)
    trainer = Trainer(config=config, args=args)
    if getattr(args, "enable_async_evaluation", False):
        trainer.callback_manager.use_async_evaluation()
    return trainer


def run(trainer, bridge):
    """Runs the training loop with the bridge; returns the exit code."""
    trainer.callback_manager.add_callback(bridge)
    bridge.on_training_start(trainer)
    error = None
    try:
        if bridge.finish_requested is None:  # a SIGTERM during set-up: no loop at all
            trainer.run_training_loop()
    except KeyboardInterrupt:
        # The interrupt came outside the part of the loop where Keisei catches it (just before or
        # after it), so Keisei saved nothing: finish() saves the checkpoint itself.
        pass
    except Exception as e:  # Keisei lets some errors through its loop (others it logs and swallows)
        log.exception("keisei-bridge: training failed")
        error = e
    return bridge.finish(trainer, error=error)


def main(argv=None, build_trainer=build_keisei_trainer, environ=None, **bridge_options):
    """``argv``: Keisei's train arguments (default: the command line). ``build_trainer(argv)``
    makes the trainer (a stand-in in tests). ``bridge_options`` override the environment's."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    argv = sys.argv[1:] if argv is None else list(argv)
    bridge = KeiseiWebUICallback.from_env(environ, **bridge_options)
    bridge.install_signal_handlers()
    try:
        trainer = build_trainer(argv)
    except SystemExit:
        bridge.close()  # argparse's own exit (2), or --help (0)
        raise
    except BaseException:
        log.exception("keisei-bridge: Keisei could not be set up")
        bridge.close()
        return EXIT_FAILED
    return run(trainer, bridge)


def prepare_multiprocessing():
    """As Keisei's main_sync: freeze_support, and the spawn start method (safe with CUDA)."""
    multiprocessing.freeze_support()
    try:
        if multiprocessing.get_start_method(allow_none=True) != "spawn":
            multiprocessing.set_start_method("spawn", force=True)
    except RuntimeError as e:
        log.warning("keisei-bridge: could not set the multiprocessing start method to spawn: %s", e)


if __name__ == "__main__":
    prepare_multiprocessing()
    sys.exit(main())
