package io.keisei.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the WebSocket clients saw the curve without holes. Live updates are throttled (one every 500 ms per
 * session, folding the records in between), so a client does not see every record; but between two updates it
 * received, the published records must not span more time than the trainer itself left between records, plus
 * the throttle and some slack for a busy machine. A reconnecting client is replayed what it missed up to the
 * hub's replay bound; a hole where more records than the bound were missed is allowed and not reported.
 */
final class GapAudit {

    /** Throttle (500 ms) plus slack for a loaded two-core machine. */
    static final long TOLERANCE_MILLIS = 5_000;
    /** The replay bound the chaos suite runs the gateway with (KEISEI_WS_REPLAY_LIMIT). */
    static final int REPLAY_LIMIT = 5_000;

    /** The holes found, and the largest excess of a seen gap over the published one (ms). */
    record Result(List<String> gaps, long worstExcessMillis) {
    }

    private GapAudit() {
    }

    static Result check(MetricLedger ledger, List<HubClient> clients) {
        List<String> gaps = new ArrayList<>();
        long worst = 0;
        for (HubClient client : clients) {
            List<MetricLedger.Entry> published = ledger.entries(client.session);
            List<HubClient.Update> seen = client.updates();
            int j = 0;
            for (int i = 1; i < seen.size(); i++) {
                HubClient.Update a = seen.get(i - 1);
                HubClient.Update b = seen.get(i);
                if (b.idMillis() <= a.idMillis()) {
                    continue; // a replayed record of the same millisecond, sent again
                }
                while (j < published.size() && published.get(j).idMillis() <= a.idMillis()) {
                    j++;
                }
                long maxPublishedGap = 0;
                long previous = a.idMillis();
                int between = 0;
                for (int k = j; k < published.size() && published.get(k).idMillis() <= b.idMillis(); k++) {
                    maxPublishedGap = Math.max(maxPublishedGap, published.get(k).idMillis() - previous);
                    previous = published.get(k).idMillis();
                    between++;
                }
                between += ledger.othersBetween(client.session, a.idMillis(), b.idMillis());
                long excess = (b.idMillis() - a.idMillis()) - maxPublishedGap;
                worst = Math.max(worst, excess);
                if (excess > TOLERANCE_MILLIS && between <= REPLAY_LIMIT && gaps.size() < 20) {
                    gaps.add(String.format("client of %s: nothing between steps %d and %d (%d ms of records, %d records)",
                            client.session, a.step(), b.step(), b.idMillis() - a.idMillis(), between));
                }
            }
        }
        return new Result(gaps, worst);
    }
}
