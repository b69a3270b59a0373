package io.cachet.reseller.internal;

import static io.cachet.api.store.Columns.time;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.IssuedApiKey;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.rest.RestApi;
import io.cachet.api.store.Database;

/**
 * The resellers in the table {@code reseller}. Creating one makes, in one transaction (the directory's work joins
 * it): the reseller's row, its API-only operator account {@code rsl-<suffix>} with the single role
 * {@code reseller}, a first key of scope {@code operator}, and their audit records. Disabling a reseller disables
 * its account, so its keys are refused from the next request on.
 */
public final class JdbcResellers implements Resellers {

    static final int MAX_NAME = 200;
    static final String LOGIN_PREFIX = "rsl-";
    static final String ID_PREFIX = "rsl_";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern ID = Pattern.compile("rsl_[a-z2-7]{16}");
    private static final String COLUMNS = "id, name, login, brand, created_at, disabled_at";

    private final Database database;
    private final OperatorDirectory directory;
    private final AuditLog audit;
    private final Clock clock;
    private final Predicate<String> brandKnown;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param brandKnown whether a brand id names an installed brand
     */
    public JdbcResellers(Database database, OperatorDirectory directory, AuditLog audit, Clock clock,
            Predicate<String> brandKnown) {
        this.database = Objects.requireNonNull(database, "database");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.brandKnown = Objects.requireNonNull(brandKnown, "brandKnown");
        database.migrate("reseller", JdbcResellers.class.getClassLoader(), "db/reseller");
    }

    @Override
    public Created create(String name, String brand, String actor) {
        String cleanName = name(name);
        String cleanBrand = brand == null || brand.isBlank() ? null : brand.strip();
        if (cleanBrand != null && !brandKnown.test(cleanBrand)) {
            throw new Refused(Refused.BRAND_UNKNOWN, "Field 'brand': there is no brand '" + shorten(cleanBrand)
                    + "' installed; give the id of an installed brand, or none for the active brand.",
                    shorten(cleanBrand));
        }
        String suffix = suffix();
        String id = ID_PREFIX + suffix;
        String login = LOGIN_PREFIX + suffix;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reseller (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, NULL)")) {
                ps.setString(1, id);
                ps.setString(2, cleanName);
                ps.setString(3, login);
                ps.setString(4, cleanBrand);
                ps.setObject(5, time(now));
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor, "reseller.created", "reseller:" + id, "name=" + cleanName + "\nlogin="
                    + login + "\nbrand=" + (cleanBrand == null ? "(active)" : cleanBrand)));
            // both join this transaction: a failure of either leaves no reseller, no account and no key
            directory.createAccount(login, Set.of(RestApi.ROLE_RESELLER), null, actor);
            IssuedApiKey key = directory.createApiKey(login, ApiKeyScope.OPERATOR, "first key", null, actor);
            return new Created(new Reseller(id, cleanName, login, cleanBrand, now, null), key);
        });
    }

    @Override
    public Optional<Reseller> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return database.inTransaction(c -> one(c, "id", id, false));
    }

    @Override
    public Optional<Reseller> byLogin(String login) {
        if (login == null || !login.startsWith(LOGIN_PREFIX)) {
            return Optional.empty();
        }
        return database.inTransaction(c -> one(c, "login", login, false));
    }

    @Override
    public List<Reseller> list() {
        return database.inTransaction(c -> {
            List<Reseller> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM reseller ORDER BY name, id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(read(rs));
                }
            }
            return all;
        });
    }

    @Override
    public Reseller setDisabled(String id, boolean disabled, String actor) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return database.inTransaction(c -> {
            Reseller r = (id == null || !ID.matcher(id).matches() ? Optional.<Reseller>empty()
                    : one(c, "id", id, true)).orElseThrow(() -> new OperatorException(OperatorException.Reason.NOT_FOUND,
                            Refused.NOT_FOUND, "There is no reseller " + shorten(id) + ".", shorten(id)));
            if ((r.disabledAt() != null) == disabled) {
                return r; // already so: nothing to change, nothing to audit
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE reseller SET disabled_at = ? WHERE id = ?")) {
                ps.setObject(1, disabled ? time(now) : null);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor, disabled ? "reseller.disabled" : "reseller.enabled", "reseller:" + id,
                    "login=" + r.login()));
            directory.setDisabled(r.login(), disabled, actor);
            return new Reseller(r.id(), r.name(), r.login(), r.brand(), r.createdAt(), disabled ? now : null);
        });
    }

    private static Optional<Reseller> one(Connection c, String column, String value, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM reseller WHERE " + column + " = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Reseller read(ResultSet rs) throws SQLException {
        OffsetDateTime created = rs.getObject(5, OffsetDateTime.class);
        OffsetDateTime disabled = rs.getObject(6, OffsetDateTime.class);
        return new Reseller(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), created.toInstant(),
                disabled == null ? null : disabled.toInstant());
    }

    static String name(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new Refused(Refused.NAME_REQUIRED, "Field 'name' is required: what operators call the reseller.");
        }
        if (n.length() > MAX_NAME) {
            throw new Refused(Refused.NAME_TOO_LONG, "Field 'name' has at most " + MAX_NAME + " characters.",
                    Integer.toString(MAX_NAME));
        }
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT) {
                throw new Refused(Refused.NAME_CONTROL,
                        "Field 'name' may not contain control or formatting characters.");
            }
        }
        return n;
    }

    private String suffix() {
        char[] s = new char[16];
        for (int i = 0; i < s.length; i++) {
            s[i] = BASE32[random.nextInt(BASE32.length)];
        }
        return new String(s);
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
