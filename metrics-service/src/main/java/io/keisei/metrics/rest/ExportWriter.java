package io.keisei.metrics.rest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.keisei.metrics.persistence.PointExport;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Writes exported points to a response body as they come, in CSV or JSON. */
abstract class ExportWriter implements PointExport.Sink, AutoCloseable {

    static ExportWriter csv(OutputStream out) {
        return new Csv(out);
    }

    static ExportWriter json(JsonFactory factory, OutputStream out, String session) throws IOException {
        return new Json(factory, out, session);
    }

    @Override
    public abstract void close() throws IOException;

    /** {@code metric,step,value,attempt,wall_time}; metric names never need quoting. */
    private static final class Csv extends ExportWriter {
        private final Writer w;

        Csv(OutputStream out) {
            this.w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        }

        private boolean headerDone;

        @Override
        public void row(String metric, long step, double value, int attempt, long wallMillis) throws IOException {
            header();
            w.write(metric);
            w.write(',');
            w.write(Long.toString(step));
            w.write(',');
            w.write(Double.toString(value));
            w.write(',');
            w.write(Integer.toString(attempt));
            w.write(',');
            w.write(Instant.ofEpochMilli(wallMillis).toString());
            w.write('\n');
        }

        private void header() throws IOException {
            if (!headerDone) {
                w.write("metric,step,value,attempt,wall_time\n");
                headerDone = true;
            }
        }

        @Override
        public void close() throws IOException {
            header();
            w.flush();
        }
    }

    /** {@code {"session": ..., "points": [{"metric", "step", "value", "attempt", "wallTime"}, ...]}}. */
    private static final class Json extends ExportWriter {
        private final JsonGenerator g;

        Json(JsonFactory factory, OutputStream out, String session) throws IOException {
            this.g = factory.createGenerator(out, JsonEncoding.UTF8);
            g.writeStartObject();
            g.writeStringField("session", session);
            g.writeArrayFieldStart("points");
        }

        @Override
        public void row(String metric, long step, double value, int attempt, long wallMillis) throws IOException {
            g.writeStartObject();
            g.writeStringField("metric", metric);
            g.writeNumberField("step", step);
            g.writeNumberField("value", value);
            g.writeNumberField("attempt", attempt);
            g.writeStringField("wallTime", Instant.ofEpochMilli(wallMillis).toString());
            g.writeEndObject();
        }

        @Override
        public void close() throws IOException {
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
        }
    }
}
