package io.keisei.training.service;

import io.keisei.contracts.api.Evaluation;

/**
 * An evaluation reached completed, failed or cancelled (a CDI event, fired after its transaction committed and its
 * allocation was released). Automatic gating observes it to decide about the challenger it gates.
 *
 * @param gate the challenger model the evaluation gates; null when a user filed it
 */
public record EvaluationEnded(Evaluation evaluation, String gate) {
}
