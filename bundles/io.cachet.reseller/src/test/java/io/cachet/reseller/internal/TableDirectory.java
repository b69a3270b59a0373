package io.cachet.reseller.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.Operator;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.store.Database;

/**
 * The part of the operator directory the resellers use, writing to a table of the same database and joining the
 * caller's transaction as the real directory (io.cachet.console) does; that one is proven with this bundle in the
 * framework (ResellersIT). {@link #failKeys} makes key creation fail, to see the whole creation roll back.
 */
final class TableDirectory implements OperatorDirectory {

    private final Database database;
    volatile boolean failKeys;

    TableDirectory(Database database) {
        this.database = database;
        database.inTransaction(c -> {
            c.createStatement().execute("CREATE TABLE t_account (login VARCHAR(64) PRIMARY KEY, roles VARCHAR(200),"
                    + " api_only BOOLEAN, disabled BOOLEAN)");
            c.createStatement().execute("CREATE TABLE t_key (id VARCHAR(40) PRIMARY KEY, login VARCHAR(64), scope VARCHAR(10))");
            return null;
        });
    }

    @Override
    public void createAccount(String login, Set<String> roles, char[] password, String actor) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_account VALUES (?, ?, ?, FALSE)")) {
                ps.setString(1, login);
                ps.setString(2, String.join(",", roles));
                ps.setBoolean(3, password == null);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public IssuedApiKey createApiKey(String login, ApiKeyScope scope, String label, Instant expiresAt, String actor) {
        String id = UUID.randomUUID().toString();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_key VALUES (?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, login);
                ps.setString(3, scope.id());
                ps.executeUpdate();
            }
            if (failKeys) {
                throw new OperatorException("key creation failed on purpose");
            }
            return null;
        });
        return new IssuedApiKey(new ApiKey(id, login, label, scope, Instant.now(), expiresAt, null, null),
                "ck_" + id + "_secret");
    }

    @Override
    public void setDisabled(String login, boolean disabled, String actor) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE t_account SET disabled = ? WHERE login = ?")) {
                ps.setBoolean(1, disabled);
                ps.setString(2, login);
                if (ps.executeUpdate() != 1) {
                    throw new OperatorException(OperatorException.Reason.NOT_FOUND, "no account " + login);
                }
            }
            return null;
        });
    }

    String account(String login) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT roles, api_only, disabled FROM t_account WHERE login = ?")) {
                ps.setString(1, login);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) + " apiOnly=" + rs.getBoolean(2) + " disabled=" + rs.getBoolean(3)
                            : null;
                }
            }
        });
    }

    long count(String table) {
        return database.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public Authentication login(String login, char[] password, String client) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Authentication authenticateApiKey(String apiKey, String client) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void changePassword(String login, char[] currentPassword, char[] newPassword, String client) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ApiKey> apiKeys(String login) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IssuedApiKey rotateApiKey(String login, String keyId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void revokeApiKey(String login, String keyId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Operator> accounts() {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Set<String> disabledAccounts() {
        throw new UnsupportedOperationException();
    }
}
