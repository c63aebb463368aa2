package io.keisei.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's loop against fake components (no processes), with a clock of its own. */
class SupervisorTest {

    @TempDir
    Path dir;

    private Instant now = Instant.parse("2026-12-07T08:00:00Z");

    /** A component whose liveness and health the test sets. */
    static final class Fake implements Supervisor.Component {
        boolean alive = true;
        boolean healthy = true;
        int starts;
        int kills;
        long pid = 100;

        @Override
        public String name() {
            return "metrics-service";
        }

        @Override
        public Path log() {
            return Path.of("data/logs/metrics-service.log");
        }

        @Override
        public void start() {
            starts++;
            pid++;
            alive = true;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean alive() {
            return alive;
        }

        @Override
        public boolean healthy() {
            return healthy;
        }

        @Override
        public String exit() {
            return "code 137";
        }

        @Override
        public void kill(Duration grace) {
            kills++;
            alive = false;
        }
    }

    private Supervisor supervisor(Fake fake) {
        Supervisor s = new Supervisor(dir.resolve("status.json"), Duration.ofSeconds(180), new Object(), () -> false);
        s.add(fake, now.minusSeconds(42));
        return s;
    }

    private void advance(Supervisor s, int seconds) {
        for (int i = 0; i < seconds; i++) {
            now = now.plusSeconds(1);
            s.tick(now);
        }
    }

    @Test
    void anExitedComponentIsRestartedAfterTheBackOffAndTheStatusFileShowsIt() {
        Fake fake = new Fake();
        Supervisor s = supervisor(fake);
        s.tick(now);
        fake.alive = false;
        advance(s, 1);
        Supervisor.Entry e = s.entries().get(0);
        assertThat(e.state).isEqualTo(Supervisor.State.RESTARTING);
        assertThat(e.lastExit).isEqualTo("code 137");
        assertThat(StatusFile.read(dir.resolve("status.json")).get(0).state()).isEqualTo("restarting");
        advance(s, 1);
        assertThat(fake.starts).isEqualTo(1);
        assertThat(e.state).isEqualTo(Supervisor.State.STARTING);
        advance(s, 3);
        assertThat(e.state).isEqualTo(Supervisor.State.RUNNING);
        StatusFile.Row row = StatusFile.read(dir.resolve("status.json")).get(0);
        assertThat(row.name()).isEqualTo("metrics-service");
        assertThat(row.state()).isEqualTo("running");
        assertThat(row.restarts()).isEqualTo(1);
        assertThat(row.pid()).isEqualTo(101L);
        assertThat(row.lastExit()).isEqualTo("code 137");
        assertThat(row.startedAt()).isNotNull();
    }

    @Test
    void aComponentThatStopsAnsweringFor15SecondsIsKilledAndRestarted() {
        Fake fake = new Fake();
        Supervisor s = supervisor(fake);
        s.tick(now);
        fake.healthy = false;
        advance(s, 14);
        assertThat(fake.kills).isZero();
        advance(s, 4);
        assertThat(fake.kills).isEqualTo(1);
        Supervisor.Entry e = s.entries().get(0);
        assertThat(e.state).isEqualTo(Supervisor.State.RESTARTING);
        assertThat(e.lastExit).isEqualTo("hung, killed");
        fake.healthy = true;
        advance(s, 5);
        assertThat(fake.starts).isEqualTo(1);
        assertThat(e.state).isEqualTo(Supervisor.State.RUNNING);
    }

    @Test
    void aCrashLoopIsGivenUpOn() {
        Fake fake = new Fake();
        Supervisor s = supervisor(fake);
        s.tick(now);
        for (int i = 0; i < 6; i++) {
            fake.alive = false;
            advance(s, 1);
            advance(s, 20);
        }
        Supervisor.Entry e = s.entries().get(0);
        assertThat(fake.starts).isEqualTo(5);
        assertThat(e.state).isEqualTo(Supervisor.State.GAVE_UP);
        advance(s, 120);
        assertThat(fake.starts).isEqualTo(5);
        StatusFile.Row row = StatusFile.read(dir.resolve("status.json")).get(0);
        assertThat(row.state()).isEqualTo("gave up");
        assertThat(row.restarts()).isEqualTo(5);
        assertThat(row.pid()).isNull();
    }
}
