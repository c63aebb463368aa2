package io.keisei.resource;

import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;

import java.util.EnumSet;
import java.util.List;

/** Leaves the test pool empty: cancels what is queued, then releases what is granted. */
public final class PoolCleaner {

    private PoolCleaner() {
    }

    public static void empty(AllocationService service, AllocationQueries queries) throws Exception {
        for (AllocationState state : List.of(AllocationState.QUEUED, AllocationState.GRANTED)) {
            for (Allocation a : queries.list(EnumSet.of(state), null, SmallPoolProfile.POOL, 1000)) {
                service.release(a.id(), "test cleanup");
            }
        }
        if (!queries.list(EnumSet.of(AllocationState.QUEUED, AllocationState.GRANTED), null, SmallPoolProfile.POOL, 10).isEmpty()) {
            throw new IllegalStateException("the test pool is not empty after cleanup");
        }
    }
}
