package io.keisei.contracts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamCodecTest {

    @Test
    void metricUpdateRoundTrips() {
        MetricUpdate m = MetricUpdate.of("s-1", 2, 4096, 1_700_000_000_000L,
                Map.of(MetricNames.POLICY_LOSS, -0.0123, MetricNames.EVAL_WIN_RATE_VS_RANDOM, 0.75));
        MetricUpdate back = StreamCodec.fromEntry(StreamCodec.toEntry(m), MetricUpdate.class);
        assertThat(back).isEqualTo(m);
    }

    @Test
    void gameStateRoundTrips() {
        GameState g = new GameState(1, "s-1", "g-7", 2,
                "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL b - 3",
                "3c3d", "black", List.of("7g7f", "3c3d"), null, 5L);
        assertThat(StreamCodec.decode(StreamCodec.encode(g), GameState.class)).isEqualTo(g);
    }

    @Test
    void lifecycleEventsRoundTripWithTheirOptionalParts() {
        LifecycleEvent saved = LifecycleEvent.checkpointSaved("s-1", 1, "trainer",
                new CheckpointInfo("/ckpt/s-1/step-100.ckpt", 100, 2048, "a".repeat(64)));
        LifecycleEvent granted = LifecycleEvent.allocation(EventType.ALLOCATION_GRANTED, "s-1", "resource-service",
                new AllocationInfo("a-1", "local", 2000, 4096, List.of(0, 1), null, null));
        LifecycleEvent failed = LifecycleEvent.of(EventType.SESSION_FAILED, "s-1", 1, "training-service", "failed", "heartbeat lost");
        for (LifecycleEvent e : List.of(saved, granted, failed)) {
            assertThat(StreamCodec.decode(StreamCodec.encode(e), LifecycleEvent.class)).isEqualTo(e);
        }
        assertThat(StreamCodec.encode(failed)).contains("\"type\":\"session.failed\"").doesNotContain("checkpoint");
    }

    @Test
    void systemStatusAndControlRoundTrip() {
        SystemStatus s = new SystemStatus(1, "node-a", 9L, 37.5, List.of(30.0, 45.0), 1024, 8192,
                List.of(new GpuStatus(0, "GPU-abc", "NVIDIA H100", 100, 81559, 12.0)));
        assertThat(StreamCodec.decode(StreamCodec.encode(s), SystemStatus.class)).isEqualTo(s);
        ControlCommand c = ControlCommand.of(ControlCommand.Type.CHECKPOINT_NOW, "s-1", "r-1");
        assertThat(StreamCodec.decode(StreamCodec.encode(c), ControlCommand.class)).isEqualTo(c);
        assertThat(StreamCodec.encode(c)).contains("\"type\":\"checkpoint_now\"");
    }

    @Test
    void aClusterNodeSampleCarriesItsPoolUsageSourceAndRequestedGpusWhileAHostSampleLeavesThemOut() {
        SystemStatus node = new SystemStatus(1, "gpu-h100-1", 9L, 40.0, List.of(), 2048, 524288,
                List.of(new GpuStatus(0, null, "NVIDIA-H100-80GB-HBM3", 0, 0, 0)), "h100", SystemStatus.USAGE_METRICS, 1);
        String json = StreamCodec.encode(node);
        assertThat(json).contains("\"pool\":\"h100\"", "\"usageSource\":\"metrics\"", "\"gpusRequested\":1");
        assertThat(StreamCodec.decode(json, SystemStatus.class)).isEqualTo(node);

        SystemStatus host = new SystemStatus(1, "node-a", 9L, 37.5, List.of(30.0), 1024, 8192, List.of());
        // exactly the JSON of before: readers that predate these fields see nothing new
        assertThat(StreamCodec.encode(host)).doesNotContain("pool", "usageSource", "gpusRequested");
        SystemStatus old = StreamCodec.decode("{\"v\":1,\"node\":\"node-a\",\"time\":9,\"cpuPercent\":37.5,"
                + "\"memoryUsedMb\":1024,\"memoryTotalMb\":8192}", SystemStatus.class);
        assertThat(old.pool()).isNull();
        assertThat(old.usageSource()).isNull();
        assertThat(old.gpusRequested()).isNull();
        assertThatThrownBy(() -> new SystemStatus(1, "n", 9L, 0, List.of(), 0, 0, List.of(), "p", SystemStatus.USAGE_REQUESTS, -1))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("gpusRequested");
    }

    @Test
    void unknownFieldsOfAKnownVersionAreTolerated() {
        String json = "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":1.0},\"extra\":true}";
        assertThat(StreamCodec.decode(json, MetricUpdate.class).metrics()).containsEntry("x", 1.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json at all                                                          | MALFORMED_JSON",
            "[1,2]                                                                    | MALFORMED_JSON",
            "{\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":1}}     | MISSING_FIELD",
            "{\"v\":2,\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":1}} | UNKNOWN_VERSION",
            "{\"v\":\"one\",\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{}} | INVALID_VALUE",
            "{\"v\":1,\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":1}}              | MISSING_FIELD",
            "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"time\":1,\"metrics\":{\"x\":1}}        | MISSING_FIELD",
            "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":-5,\"time\":1,\"metrics\":{\"x\":1}} | INVALID_VALUE",
            "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{}}    | INVALID_VALUE",
            "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":\"NaN\"}} | INVALID_VALUE",
            "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":\"Infinity\"}} | INVALID_VALUE",
            "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"bad name!\":1}} | INVALID_VALUE",
            "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":\"abc\",\"time\":1,\"metrics\":{\"x\":1}} | INVALID_VALUE",
    })
    void malformedMetricUpdatesAreRejectedWithTheirKind(String json, MessageFormatException.Kind kind) {
        assertThatThrownBy(() -> StreamCodec.decode(json, MetricUpdate.class))
                .isInstanceOf(MessageFormatException.class)
                .satisfies(e -> assertThat(((MessageFormatException) e).kind()).isEqualTo(kind))
                .hasMessageNotContaining("\n");
    }

    @Test
    void errorsNameTheOffendingField() {
        assertThatThrownBy(() -> StreamCodec.decode(
                "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"time\":1,\"metrics\":{\"x\":1}}", MetricUpdate.class))
                .hasMessageContaining("step");
        assertThatThrownBy(() -> StreamCodec.decode(
                "{\"v\":1,\"session\":\"s\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"loss\":\"NaN\"}}", MetricUpdate.class))
                .hasMessageContaining("metrics.loss");
    }

    @Test
    void unknownEventAndCommandTypesAreRejected() {
        assertThatThrownBy(() -> StreamCodec.decode(
                "{\"v\":1,\"type\":\"session.exploded\",\"session\":\"s\",\"time\":1,\"source\":\"x\"}", LifecycleEvent.class))
                .isInstanceOfSatisfying(MessageFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(MessageFormatException.Kind.UNKNOWN_TYPE));
        assertThatThrownBy(() -> StreamCodec.decode(
                "{\"v\":1,\"type\":\"self_destruct\",\"session\":\"s\",\"requestId\":\"r\",\"time\":1}", ControlCommand.class))
                .isInstanceOfSatisfying(MessageFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(MessageFormatException.Kind.UNKNOWN_TYPE));
    }

    @Test
    void eventsThatNeedAPayloadRequireIt() {
        assertThatThrownBy(() -> StreamCodec.decode(
                "{\"v\":1,\"type\":\"checkpoint.saved\",\"session\":\"s\",\"time\":1,\"source\":\"trainer\"}", LifecycleEvent.class))
                .isInstanceOfSatisfying(MessageFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(MessageFormatException.Kind.MISSING_FIELD))
                .hasMessageContaining("checkpoint");
    }

    @Test
    void encodingRefusesInvalidMessagesAtConstruction() {
        assertThatThrownBy(() -> MetricUpdate.of("s", 1, 1, 1, Map.of("x", Double.NaN)))
                .isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> MetricUpdate.of(" ", 1, 1, 1, Map.of("x", 1.0)))
                .isInstanceOf(MessageFormatException.class);
    }

    @Test
    void entryWithoutPayloadIsRejected() {
        assertThatThrownBy(() -> StreamCodec.fromEntry(Map.of("other", "x"), MetricUpdate.class))
                .isInstanceOfSatisfying(MessageFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(MessageFormatException.Kind.MISSING_FIELD));
    }

    @Test
    void streamNamesAreStable() {
        assertThat(Streams.control("abc")).isEqualTo("keisei:control:abc");
        assertThat(Streams.heartbeat("abc")).isEqualTo("keisei:heartbeat:abc");
        assertThatThrownBy(() -> Streams.control(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
