package io.keisei.resource.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs a unit of work in one JDBC transaction: commit when it returns, roll back when it throws. */
@ApplicationScoped
public class Transactions {

    /** Work on an open transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    public Transactions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T inTransaction(Work<T> work) throws SQLException {
        return run(work, false);
    }

    /** A read-only REPEATABLE READ transaction: every query sees the same snapshot. */
    public <T> T inSnapshot(Work<T> work) throws SQLException {
        return run(work, true);
    }

    private <T> T run(Work<T> work, boolean snapshot) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (snapshot) {
                try (var st = c.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
                }
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
