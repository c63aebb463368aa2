package io.keisei.trainer.run;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundBufferTest {

    @Test
    void aFullBufferDropsTheOldestAndCountsDrops() throws Exception {
        OutboundBuffer buffer = new OutboundBuffer(3);
        for (int i = 0; i < 5; i++) {
            buffer.offer(new OutboundBuffer.Entry("s", Map.of("i", String.valueOf(i)), 10));
        }
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.dropped()).isEqualTo(2);
        OutboundBuffer.Entry oldest = buffer.peek(0);
        assertThat(oldest.fields().get("i")).isEqualTo("2");
        buffer.remove(oldest);
        assertThat(buffer.peek(0).fields().get("i")).isEqualTo("3");
    }

    @Test
    void awaitEmptyReturnsWhenDrained() throws Exception {
        OutboundBuffer buffer = new OutboundBuffer(10);
        OutboundBuffer.Entry e = new OutboundBuffer.Entry("s", Map.of(), 10);
        buffer.offer(e);
        assertThat(buffer.awaitEmpty(50)).isFalse();
        new Thread(() -> buffer.remove(e)).start();
        assertThat(buffer.awaitEmpty(5000)).isTrue();
    }

    @Test
    void throttleLetsFinalPositionsThrough() {
        GameStateThrottle t = new GameStateThrottle(100);
        assertThat(t.allow(false, 0)).isTrue();
        assertThat(t.allow(false, 50_000_000)).isFalse();
        assertThat(t.allow(true, 60_000_000)).isTrue();
        assertThat(t.allow(false, 200_000_000)).isTrue();
    }
}
