package io.keisei.contracts.allocation;

/**
 * What training-service asks resource-service for when a session starts (POST /allocations).
 *
 * @param session   the session the resources are for (one live allocation per session)
 * @param owner     the session's owner (quotas are per owner and role)
 * @param role      the owner's role: admin, trainer, researcher or viewer
 * @param priority  -1000..1000, higher first (sessions 0..1000; evaluations below 0 by default)
 * @param pool      the pool to allocate from; null for the default pool
 * @param cpuMillis CPU in millicores, >= 1
 * @param memoryMb  memory in MiB, >= 1
 * @param gpus      number of whole GPUs, >= 0
 */
public record AllocationRequest(String session, String owner, String role, int priority, String pool, long cpuMillis,
                                long memoryMb, int gpus) {
}
