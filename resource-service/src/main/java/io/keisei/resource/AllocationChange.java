package io.keisei.resource;

import io.keisei.contracts.EventType;
import io.keisei.contracts.allocation.Allocation;

/** A state change of an allocation, made in a committed transaction, to announce on keisei:events. */
public record AllocationChange(EventType type, Allocation allocation) {
}
