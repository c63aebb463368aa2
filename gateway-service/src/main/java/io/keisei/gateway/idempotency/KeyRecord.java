package io.keisei.gateway.idempotency;

import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * What Redis holds under a key: the request that first used it and either the claim of the request carrying it out
 * ({@link State#PROCESSING}) or its answer, sealed for the caller ({@link State#DONE}).
 *
 * @param claim  PROCESSING: a random id of the claiming request, so that only that request completes or releases it
 * @param sealed DONE: the {@link StoredAnswer}'s bytes sealed by {@link CallerScope#seal}
 */
public record KeyRecord(State state, RequestFingerprint request, String claim, byte[] sealed) {

    public enum State { PROCESSING, DONE }

    private static final String FORMAT = "1";

    public KeyRecord {
        Objects.requireNonNull(state);
        Objects.requireNonNull(request);
        if (state == State.PROCESSING ? claim == null || claim.isEmpty() || claim.contains("\n") : sealed == null) {
            throw new IllegalArgumentException(state + " record without its " + (state == State.PROCESSING ? "claim" : "answer"));
        }
        sealed = sealed == null ? null : sealed.clone();
    }

    public static KeyRecord processing(RequestFingerprint request, String claim) {
        return new KeyRecord(State.PROCESSING, request, claim, null);
    }

    /** This claim's request, answered. */
    public KeyRecord done(byte[] sealedAnswer) {
        return new KeyRecord(State.DONE, request, null, sealedAnswer);
    }

    @Override
    public byte[] sealed() {
        return sealed == null ? null : sealed.clone();
    }

    /** One line each: format, state, claim or answer, method, body hash, path (last: it is the only free-form part). */
    public String encode() {
        String third = state == State.PROCESSING ? claim : Base64.getEncoder().encodeToString(sealed);
        return String.join("\n", FORMAT, state.name(), third, request.method(), request.bodySha256(), request.pathAndQuery());
    }

    /** The record, or empty for a value that is not one (then it is treated as absent and overwritten when it expires). */
    public static Optional<KeyRecord> decode(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] p = value.split("\n", 6);
        if (p.length != 6 || !p[0].equals(FORMAT)) {
            return Optional.empty();
        }
        try {
            State state = State.valueOf(p[1]);
            RequestFingerprint request = new RequestFingerprint(p[3], p[5], p[4]);
            return Optional.of(state == State.PROCESSING ? processing(request, p[2])
                    : new KeyRecord(State.DONE, request, null, Base64.getDecoder().decode(p[2])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
