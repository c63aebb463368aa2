/**
 * The built-in trainer's learner: a policy/value model trained by self-play PPO with Keisei's
 * hyper-parameters, in plain Java (no numeric library).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.keisei.trainer.learn.SelfPlayLearner}: the public entry point (runEpoch,
 *       evaluateVsRandom, writeState/readState, setGameListener);</li>
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
 * the number of hidden (ReLU) layers. With width 128 and depth 2 the model has about 2.06 M
 * parameters (1.73 M of them in the 13,527-row policy layer), and trains at roughly 2,000 plies
 * per second on two shared cores.
 */
package io.keisei.trainer.learn;
