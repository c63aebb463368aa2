package io.keisei.gateway.hub;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.ratelimit.TokenRateLimiter;
import io.keisei.gateway.service.SessionDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;

/**
 * Whether a {@code session:<id>} topic names a session: the id has the syntax the REST API accepts,
 * and training-service knows it (through {@link SessionDirectory}, which caches records and makes
 * concurrent asks for one id a single call).
 *
 * <p>A flood of ids must not become a flood of calls to training-service: answers are kept here for a
 * minute, unknown ids included (the directory caches only records), so a repeated id costs nothing;
 * and an id not known here costs its token one request of its rate limit, as the same question over
 * REST would, so distinct ids reach training-service no faster than REST lets them. When
 * training-service cannot answer, the subscription goes ahead unverified: live data must not stop
 * because training-service is restarting, and the subscription limit bounds what it can cost.
 */
@ApplicationScoped
public class SessionCheck {

    enum Result { EXISTS, UNKNOWN, UNVERIFIED, RATE_LIMITED }

    private final SessionDirectory directory;
    private final TokenRateLimiter limiter;
    /** id → exists. Bounded in size and time, so a flood of distinct ids cannot grow it. */
    private final Cache<String, Boolean> answers = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    public SessionCheck(SessionDirectory directory, TokenRateLimiter limiter) {
        this.directory = directory;
        this.limiter = limiter;
    }

    static boolean validId(String id) {
        return PathSegments.isValidId(id);
    }

    Result check(Principal caller, String id) {
        Boolean known = answers.getIfPresent(id);
        if (known != null) {
            return known ? Result.EXISTS : Result.UNKNOWN;
        }
        if (!limiter.check(caller.tokenId()).allowed()) {
            return Result.RATE_LIMITED;
        }
        try {
            directory.get(id);
            answers.put(id, Boolean.TRUE);
            return Result.EXISTS;
        } catch (ProblemException e) {
            if (e.status() == 404) {
                answers.put(id, Boolean.FALSE);
                return Result.UNKNOWN;
            }
            return Result.UNVERIFIED;
        } catch (RuntimeException e) {
            return Result.UNVERIFIED;
        }
    }

    /**
     * A deleted session is unknown from now on; any other event of a session means it exists. An event whose
     * {@code session} holds an evaluation id (an evaluation of no session, or its allocation) says nothing about
     * sessions.
     */
    void onLifecycle(@Observes LifecycleEvent e) {
        String session = EvaluationIds.sessionOf(e);
        if (session == null) {
            return;
        }
        if (e.type() == EventType.SESSION_DELETED) {
            answers.put(session, Boolean.FALSE);
        } else {
            answers.invalidate(session);
        }
    }

    /** Answers kept (bounded). */
    long cachedAnswers() {
        answers.cleanUp();
        return answers.estimatedSize();
    }
}
