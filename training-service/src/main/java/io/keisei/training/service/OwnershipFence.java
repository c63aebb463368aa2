package io.keisei.training.service;

import io.keisei.training.persistence.Ownership;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The fencing check of an act on an owned row (a session or an evaluation): this replica is the row's owner, under
 * the epoch it took it with, and its lease is unexpired by the database clock at this moment. Called inside the
 * transaction that holds the row's lock, so no takeover can slip between the check and the write.
 */
@ApplicationScoped
public class OwnershipFence {

    private static final Logger LOG = Logger.getLogger(OwnershipFence.class);

    private final ReplicaLease replica;
    private final Ownership ownership;

    public OwnershipFence(ReplicaLease replica, Ownership ownership) {
        this.replica = replica;
        this.ownership = ownership;
    }

    /** This replica's id now; null while it has no lease (between losing one and registering again). */
    public String me() {
        return replica.id();
    }

    /** Inside the transaction that locked the row: whether this replica still acts for it under {@code epoch}. */
    public boolean holds(String ownerReplica, long ownerEpoch, long epoch) {
        String me = replica.id();
        if (me == null || !me.equals(ownerReplica) || ownerEpoch != epoch) {
            return false;
        }
        return !Panache.getEntityManager()
                .createNativeQuery("SELECT 1 FROM training.replicas WHERE id = ?1 AND expires_at > clock_timestamp()")
                .setParameter(1, me).getResultList().isEmpty();
    }

    /** Outside a transaction, before a side effect on a trainer (a kill): a read of the same condition. */
    public boolean stillOwns(Ownership.Owned what, String id, long epoch) {
        String me = replica.id();
        if (me == null || !replica.held()) {
            return false;
        }
        try {
            return ownership.holds(what, id, me, epoch);
        } catch (Exception e) {
            LOG.warnf("ownership of %s could not be checked (%s); not acting on it", id, e.getMessage());
            return false;
        }
    }
}
