package io.keisei.training.config;

import io.agroal.api.AgroalDataSource;
import io.keisei.training.persistence.Ownership;
import io.keisei.training.persistence.ReplicaLeases;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The plain JDBC repositories of replica leases and ownership, on the service's datasource. */
public class ReplicaBeans {

    @Produces
    @Singleton
    ReplicaLeases leases(AgroalDataSource db, TrainingServiceConfig config) {
        return new ReplicaLeases(db, config.replicas().leaseDuration());
    }

    @Produces
    @Singleton
    Ownership ownership(AgroalDataSource db) {
        return new Ownership(db);
    }
}
