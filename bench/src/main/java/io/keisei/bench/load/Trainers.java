package io.keisei.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Real built-in trainers started through the public API, small enough that several fit on a laptop. */
final class Trainers {

    static final String SMALL = "{\"training\":{\"steps_per_epoch\":256,\"minibatch_size\":64,\"tower_width\":16,\"tower_depth\":1,"
            + "\"total_timesteps\":10000000},\"evaluation\":{\"num_games\":4}}";

    private Trainers() {
    }

    static List<String> start(Api admin, int count, String prefix) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode s = admin.json("POST", "/api/v1/sessions",
                    "{\"name\":\"" + prefix + "-" + i + "\",\"template\":\"quick-cpu\",\"config\":" + SMALL + "}");
            String id = s.get("id").asText();
            admin.json("POST", "/api/v1/sessions/" + id + "/start", null);
            ids.add(id);
        }
        long deadline = System.currentTimeMillis() + 180_000;
        for (String id : ids) {
            while (true) {
                JsonNode st = admin.json("GET", "/api/v1/sessions/" + id + "/status", null);
                if ("running".equals(st.path("state").asText()) && st.path("metrics").has("ppo/policy_loss")) {
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("trainer " + id + " did not start producing metrics: " + st);
                }
                Thread.sleep(500);
            }
        }
        return ids;
    }

    static void stop(Api admin, List<String> ids) {
        for (String id : ids) {
            try {
                admin.send("POST", "/api/v1/sessions/" + id + "/stop", null);
            } catch (IOException | InterruptedException e) {
                // best effort at the end of a run
            }
        }
    }
}
