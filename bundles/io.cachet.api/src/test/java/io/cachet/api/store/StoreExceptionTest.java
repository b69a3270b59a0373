package io.cachet.api.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class StoreExceptionTest {

    @Test
    void aUniqueViolationIsFoundAmongTheCauses() {
        SQLException duplicate = new SQLException("duplicate key value violates unique constraint", "23505");
        assertTrue(StoreException.isUniqueViolation(duplicate));
        assertTrue(StoreException.isUniqueViolation(new StoreException("insert failed", duplicate)));
        assertTrue(StoreException.isUniqueViolation(
                new RuntimeException(new StoreException("insert failed", duplicate))));
        // H2's own error code, whatever the state it gives
        assertTrue(StoreException.isUniqueViolation(new SQLException("Unique index violation", "HY000", 23505)));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(StoreException.isUniqueViolation(null));
        assertFalse(StoreException.isUniqueViolation(new SQLException("foreign key", "23503")));
        assertFalse(StoreException.isUniqueViolation(new SQLException("no state")));
        assertFalse(StoreException.isUniqueViolation(new StoreException("closed", new IllegalStateException())));
    }
}
