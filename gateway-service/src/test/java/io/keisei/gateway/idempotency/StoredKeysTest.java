package io.keisei.gateway.idempotency;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What Redis holds for a key, and how a caller's answers are sealed there. */
class StoredKeysTest {

    static final RequestFingerprint START = RequestFingerprint.of("POST", "/api/v1/sessions/s-1/start?x=a%20b",
            "{}".getBytes(StandardCharsets.UTF_8));

    @Test
    void recordsSurviveTheirRedisForm() {
        KeyRecord claim = KeyRecord.processing(START, "c-1");
        assertThat(KeyRecord.decode(claim.encode())).contains(claim);
        KeyRecord done = claim.done(new byte[]{0, 10, (byte) 255});
        KeyRecord back = KeyRecord.decode(done.encode()).orElseThrow();
        assertThat(back.state()).isEqualTo(KeyRecord.State.DONE);
        assertThat(back.request()).isEqualTo(START);
        assertThat(back.sealed()).containsExactly(0, 10, 255);
        assertThat(back.claim()).isNull();
        // The claim id is what completing and releasing compare, so two claims of one request differ.
        assertThat(KeyRecord.processing(START, "c-2").encode()).isNotEqualTo(claim.encode());
    }

    @Test
    void whatIsNotARecordReadsAsNone() {
        assertThat(KeyRecord.decode(null)).isEmpty();
        assertThat(KeyRecord.decode("")).isEmpty();
        assertThat(KeyRecord.decode("2\nDONE\nAAAA\nPOST\nabc\n/p")).isEmpty();
        assertThat(KeyRecord.decode("1\nLOST\nc\nPOST\nabc\n/p")).isEmpty();
        assertThat(KeyRecord.decode("1\nDONE\n%%%\nPOST\nabc\n/p")).isEmpty();
    }

    @Test
    void anAnswerKeepsStatusHeadersAndBodyBytes() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json;charset=UTF-8");
        headers.put("Location", "/api/v1/sessions/s-1");
        StoredAnswer answer = new StoredAnswer(201, headers, "{\"id\":\"s-1\"}".getBytes(StandardCharsets.UTF_8));
        StoredAnswer back = StoredAnswer.fromBytes(answer.toBytes());
        assertThat(back.status()).isEqualTo(201);
        assertThat(back.headers()).containsExactlyEntriesOf(headers);
        assertThat(back.body()).isEqualTo(answer.body());
        assertThat(StoredAnswer.fromBytes(new StoredAnswer(204, Map.of(), null).toBytes()).body()).isEmpty();
        assertThatThrownBy(() -> StoredAnswer.fromBytes(new byte[]{1, 0})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAndSealsAreTheTokensOwn() {
        CallerScope alice = CallerScope.of("tok_a", "ksk_alice-secret");
        CallerScope aliceAgain = CallerScope.of("tok_a", "ksk_alice-secret");
        CallerScope bob = CallerScope.of("tok_b", "ksk_bob-secret");
        IdempotencyKey key = new IdempotencyKey("my-key");
        String where = alice.redisKey(key);
        assertThat(where).startsWith("keisei:idempotency:tok_a:").doesNotContain("my-key");
        assertThat(aliceAgain.redisKey(key)).isEqualTo(where);
        assertThat(alice.redisKey(new IdempotencyKey("my-key2"))).isNotEqualTo(where);
        assertThat(bob.redisKey(key)).isNotEqualTo(where);
        // A token with the same id but another secret (the admin token changed) has other keys.
        assertThat(CallerScope.of("tok_a", "ksk_other").redisKey(key)).isNotEqualTo(where);

        byte[] plain = "{\"token\":\"ksk_new-secret\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = alice.seal(plain, where);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("ksk_new-secret");
        assertThat(aliceAgain.open(sealed, where)).isEqualTo(plain);
        assertThat(alice.seal(plain, where)).isNotEqualTo(sealed);   // a new IV each time
        assertThatThrownBy(() -> bob.open(sealed, where)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> alice.open(sealed, alice.redisKey(new IdempotencyKey("k2")))).isInstanceOf(IllegalArgumentException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> alice.open(sealed, where)).isInstanceOf(IllegalArgumentException.class);
    }
}
