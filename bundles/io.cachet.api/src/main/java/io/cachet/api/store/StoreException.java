package io.cachet.api.store;

/** A database operation failed; the message says what and, where known, what to do. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** SQLState of a unique-constraint violation; H2 also reports it as its error code. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int H2_DUPLICATE_KEY = 23505;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /**
     * Whether {@code failure}, or one of its causes, is a unique-constraint violation (SQLState 23505, which H2 2.x
     * and PostgreSQL both report; H2 also as its error code): the row is there already, whoever put it.
     *
     * @since 1.4
     */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s
                    && (UNIQUE_VIOLATION.equals(s.getSQLState()) || s.getErrorCode() == H2_DUPLICATE_KEY)) {
                return true;
            }
        }
        return false;
    }
}
