/**
 * The built-in trainer's learner: a policy/value model trained by self-play PPO with Keisei's
 * hyper-parameters, in plain Java (no numeric library).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.keisei.trainer.learn.SelfPlayLearner}: the public entry point (runEpoch,
 *       evaluateVsRandom, writeState/readState, setGameListener), coordinating the package-private
 *       {@code RolloutBuffer}, {@code SelfPlayGames}, {@code EpisodeStats}, {@code PpoUpdate},
 *       {@code PolicyInference}, {@code RandomOpponentEvaluation} and {@code LearnerStateFormat};</li>
 *   <li>{@link io.keisei.trainer.learn.LearnerSettings}: hyper-parameters, Keisei defaults;</li>
 *   <li>{@link io.keisei.trainer.learn.Features}: sparse, compact form of the core46 observation and
 *       the per-move codes;</li>
 *   <li>{@link io.keisei.trainer.learn.PolicyValueNet}: MLP trunk, 13,527-row policy layer evaluated
 *       on legal rows only plus a factorised move-kind embedding, tanh value head, hand-written
 *       backward pass;</li>
 *   <li>{@link io.keisei.trainer.learn.PpoLoss}, {@link io.keisei.trainer.learn.Gae},
 *       {@link io.keisei.trainer.learn.Adam}, {@link io.keisei.trainer.learn.LrSchedule}: the loss,
 *       negamax GAE, PyTorch-equivalent Adam with global-norm clipping, and LR schedules;</li>
 *   <li>{@link io.keisei.trainer.learn.Rng}: a generator with a saveable state, for exact resumes.</li>
 * </ul>
 *
 * <h2>Why an MLP over sparse features</h2>
 * Keisei's model is a ResNet over 46x9x9 planes, sized for a GPU. On two CPU cores a conv tower
 * would manage a few hundred positions per second, far too few to learn anything in minutes. The
 * core46 planes are almost all one-hot piece planes or constant planes, so the same information
 * fits in a sparse vector of 2,284 features with at most 56 non-zeros; a first layer over it costs
 * about 56 x width multiply-adds. {@code towerWidth} is the hidden width and {@code towerDepth}
 * the number of hidden (ReLU) layers. Measured on two shared cores (collection plus update, 4 PPO
 * epochs): width 64, depth 2 ({@link io.keisei.trainer.learn.LearnerSettings#quickCpu()}) has
 * 1.03 M parameters (0.87 M in the 13,527-row policy layer) and runs 3,000-6,000 plies/s; width
 * 128, depth 2 has 2.06 M parameters and runs 1,200-2,000 plies/s. Memory is four float arrays
 * of the parameter count (weights, gradient, two Adam moments) plus a rollout buffer of about
 * 1 KiB per step: ~20 MB for the quick configuration.
 *
 * <h2>Self-play and credit assignment</h2>
 * Both sides are played by the current policy (sampling); rewards are only +1/-1/0 at the end of
 * a game, from the last mover's point of view. Values are always from the mover's point of view,
 * and {@link io.keisei.trainer.learn.Gae} negates values and advantages across plies (negamax),
 * which is ordinary GAE along each player's own trajectory. No reward shaping is used.
 */
package io.keisei.trainer.learn;
