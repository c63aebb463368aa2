package io.keisei.gateway.idempotency;

import io.keisei.common.rest.ProblemException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyPlannerTest {

    static final RequestFingerprint CREATE = RequestFingerprint.of("POST", "/api/v1/sessions", bytes("{\"name\":\"a\"}"));

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static KeyRecord answered(RequestFingerprint request) {
        return KeyRecord.processing(request, "claim-1").done(new byte[]{1, 2, 3});
    }

    @Test
    void aKeyFreedMeanwhileIsClaimedAgain() {
        assertThat(IdempotencyPlanner.plan(Optional.empty(), CREATE).action()).isEqualTo(IdempotencyPlan.Action.CLAIM_AGAIN);
    }

    @Test
    void theSameRequestAnsweredIsReplayedAndInProgressIsAConflict() {
        IdempotencyPlan replay = IdempotencyPlanner.plan(Optional.of(answered(CREATE)), CREATE);
        assertThat(replay.action()).isEqualTo(IdempotencyPlan.Action.REPLAY);
        assertThat(replay.stored().sealed()).containsExactly(1, 2, 3);
        RequestFingerprint same = RequestFingerprint.of("POST", "/api/v1/sessions", bytes("{\"name\":\"a\"}"));
        assertThat(IdempotencyPlanner.plan(Optional.of(KeyRecord.processing(CREATE, "c")), same).action())
                .isEqualTo(IdempotencyPlan.Action.IN_PROGRESS);
    }

    @Test
    void anotherMethodPathOrBodyIsAMismatchWhetherTheFirstIsAnsweredOrNot() {
        List<RequestFingerprint> others = List.of(
                RequestFingerprint.of("POST", "/api/v1/sessions", bytes("{\"name\":\"b\"}")),
                RequestFingerprint.of("POST", "/api/v1/sessions", bytes("{ \"name\":\"a\"}")),
                RequestFingerprint.of("POST", "/api/v1/sessions?x=1", bytes("{\"name\":\"a\"}")),
                RequestFingerprint.of("POST", "/api/v1/models/m-1/fork", bytes("{\"name\":\"a\"}")),
                RequestFingerprint.of("PUT", "/api/v1/sessions", bytes("{\"name\":\"a\"}")));
        for (RequestFingerprint other : others) {
            for (KeyRecord stored : List.of(answered(CREATE), KeyRecord.processing(CREATE, "c"))) {
                assertThat(IdempotencyPlanner.plan(Optional.of(stored), other).action()).as("%s over %s", other, stored.state())
                        .isEqualTo(IdempotencyPlan.Action.MISMATCH);
            }
        }
    }

    @Test
    void aMismatchSaysWhatTheKeyWasFirstUsedFor() {
        IdempotencyPlan plan = IdempotencyPlanner.plan(Optional.of(answered(CREATE)),
                RequestFingerprint.of("POST", "/api/v1/sessions", bytes("{}")));
        assertThat(plan.mismatchDetail(RequestFingerprint.of("POST", "/api/v1/sessions", bytes("{}"))))
                .contains("this call with another body");
        RequestFingerprint start = RequestFingerprint.of("POST", "/api/v1/sessions/s-1/start", null);
        assertThat(IdempotencyPlanner.plan(Optional.of(answered(CREATE)), start).mismatchDetail(start))
                .contains("first used for POST /api/v1/sessions;");
    }

    @Test
    void successesAndRepeatableClientErrorsAreKeptTheRestFreesTheKey() {
        for (int kept : new int[]{200, 201, 202, 204, 400, 404, 410, 413, 415, 422}) {
            assertThat(IdempotencyPlanner.keeps(kept)).as("%d", kept).isTrue();
        }
        for (int freed : new int[]{100, 301, 304, 401, 403, 408, 409, 429, 500, 502, 503, 504}) {
            assertThat(IdempotencyPlanner.keeps(freed)).as("%d", freed).isFalse();
        }
    }

    @Test
    void aKeyIsOneTo255PrintableAsciiCharacters() {
        assertThat(IdempotencyKey.of(null)).isEmpty();
        assertThat(IdempotencyKey.of(List.of())).isEmpty();
        assertThat(IdempotencyKey.of(List.of("9f0e7b4c-2d1a-4f7e-8c55-0b6a3e1d2c4f"))).isPresent();
        assertThat(IdempotencyKey.of(List.of("x".repeat(255)))).isPresent();
        assertThat(IdempotencyKey.of(List.of(" !~"))).isPresent();
        for (String bad : new String[]{"", "x".repeat(256), "a\tb", "a\nb", "caf\u00e9", "\u007f"}) {
            assertThatThrownBy(() -> IdempotencyKey.of(List.of(bad))).as("'%s'", bad).isInstanceOfSatisfying(ProblemException.class,
                    e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errors()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("Idempotency-Key"));
                    });
        }
        assertThatThrownBy(() -> IdempotencyKey.of(List.of("a", "b"))).isInstanceOf(ProblemException.class);
    }

    @Test
    void aFingerprintIsTheBodysHashNotTheBody() {
        assertThat(CREATE.bodySha256()).hasSize(64).doesNotContain("name");
        assertThat(RequestFingerprint.of("POST", "/p", null)).isEqualTo(RequestFingerprint.of("POST", "/p", new byte[0]));
        assertThat(CREATE.describe()).isEqualTo("POST /api/v1/sessions");
    }
}
