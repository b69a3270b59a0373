package io.cachet.reseller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.Resellers;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.store.testing.TestDatabases;

/** Resellers on H2 and PostgreSQL: created with their account and first key in one transaction, audited. */
class JdbcResellersTest {

    @TempDir
    Path temp;

    static Stream<String> products() {
        return TestDatabases.products();
    }

    private static List<String> actions(AuditLog audit, String subject) {
        return audit.read(1, 10_000).stream().filter(r -> r.subject().equals(subject)).map(AuditRecord::action).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void aResellerIsCreatedWithAnApiOnlyAccountAndAnOperatorKeyAndAudited(String product) {
        try (TestDatabases.Handle h = TestDatabases.open(product, temp)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TableDirectory directory = new TableDirectory(h.database());
            JdbcResellers resellers = new JdbcResellers(h.database(), directory, audit, Clock.systemUTC(),
                    Set.of("acme")::contains);
            Resellers.Created created = resellers.create("  ACME Distribution  ", "acme", "operator:root");
            Reseller r = created.reseller();
            assertTrue(r.id().matches("rsl_[a-z2-7]{16}"), r.id());
            assertEquals("rsl-" + r.id().substring(4), r.login());
            assertEquals("ACME Distribution", r.name());
            assertEquals("acme", r.brand());
            assertNull(r.disabledAt());
            assertEquals("reseller apiOnly=true disabled=false", directory.account(r.login()));
            assertEquals(ApiKeyScope.OPERATOR, created.apiKey().key().scope());
            assertEquals(r.login(), created.apiKey().key().login());
            assertEquals(Optional.of(r), resellers.find(r.id()));
            assertEquals(Optional.of(r), resellers.byLogin(r.login()));
            assertEquals(Optional.empty(), resellers.byLogin("root"));
            assertEquals(Optional.empty(), resellers.find("rsl_' OR 1=1 --"));
            Reseller other = resellers.create("Beta", null, "operator:root").reseller();
            assertNull(other.brand());
            assertEquals(List.of("ACME Distribution", "Beta"), resellers.list().stream().map(Reseller::name).toList());
            assertEquals(List.of("reseller.created"), actions(audit, "reseller:" + r.id()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void badInputNamesTheFieldAndAFailedKeyLeavesNothingBehind(String product) {
        try (TestDatabases.Handle h = TestDatabases.open(product, temp)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TableDirectory directory = new TableDirectory(h.database());
            JdbcResellers resellers = new JdbcResellers(h.database(), directory, audit, Clock.systemUTC(),
                    Set.of("acme")::contains);
            // the IllegalArgumentException Resellers.create documents, with a code and the values it names for pages
            Refused blank = assertThrows(Refused.class, () -> resellers.create(" ", null, "x"));
            assertTrue(blank.getMessage().startsWith("Field 'name'"));
            assertEquals(Refused.NAME_REQUIRED, blank.code());
            Refused tooLong = assertThrows(Refused.class, () -> resellers.create("x".repeat(201), null, "x"));
            assertTrue(tooLong.getMessage().startsWith("Field 'name'"));
            assertEquals(Refused.NAME_TOO_LONG, tooLong.code());
            assertEquals(List.of("200"), tooLong.args());
            Refused control = assertThrows(Refused.class, () -> resellers.create("A\u202eB", null, "x"));
            assertTrue(control.getMessage().startsWith("Field 'name'"));
            assertEquals(Refused.NAME_CONTROL, control.code());
            Refused brand = assertThrows(Refused.class, () -> resellers.create("A", "nope", "x"));
            assertTrue(brand.getMessage().startsWith("Field 'brand'"));
            assertEquals(Refused.BRAND_UNKNOWN, brand.code());
            assertEquals(List.of("nope"), brand.args());

            directory.failKeys = true;
            assertThrows(OperatorException.class, () -> resellers.create("Gamma", null, "operator:root"));
            assertEquals(List.of(), resellers.list());
            assertEquals(0, directory.count("t_account"), "the account rolled back with the reseller");
            assertEquals(0, directory.count("t_key"));
            assertTrue(audit.read(1, 100).stream().noneMatch(a -> a.action().equals("reseller.created")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("products")
    void disablingTheResellerDisablesItsAccountOnceAndIsAudited(String product) {
        try (TestDatabases.Handle h = TestDatabases.open(product, temp)) {
            AuditLog audit = AuditLogs.open(h.database(), List.of());
            TableDirectory directory = new TableDirectory(h.database());
            JdbcResellers resellers = new JdbcResellers(h.database(), directory, audit, Clock.systemUTC(), b -> false);
            Reseller r = resellers.create("ACME", null, "operator:root").reseller();
            Reseller disabled = resellers.setDisabled(r.id(), true, "operator:root");
            assertNotNull(disabled.disabledAt());
            assertEquals(disabled, resellers.find(r.id()).orElseThrow());
            assertEquals("reseller apiOnly=true disabled=true", directory.account(r.login()));
            resellers.setDisabled(r.id(), true, "operator:root"); // already: no change, no record
            assertNull(resellers.setDisabled(r.id(), false, "operator:root").disabledAt());
            assertEquals("reseller apiOnly=true disabled=false", directory.account(r.login()));
            assertEquals(List.of("reseller.created", "reseller.disabled", "reseller.enabled"),
                    actions(audit, "reseller:" + r.id()));
            OperatorException unknown = assertThrows(OperatorException.class,
                    () -> resellers.setDisabled("rsl_aaaaaaaaaaaaaaaa", true, "x"));
            assertEquals(OperatorException.Reason.NOT_FOUND, unknown.reason());
            assertEquals(Refused.NOT_FOUND, unknown.code());
            assertEquals(List.of("rsl_aaaaaaaaaaaaaaaa"), unknown.args());
        }
    }

    /** Every refusal code is worded in both languages of the console page, naming as many values as it has. */
    @org.junit.jupiter.api.Test
    void everyRefusalIsWordedInFrenchAndEnglish() throws Exception {
        for (String language : List.of("en", "fr")) {
            java.util.Properties words = new java.util.Properties();
            try (var in = JdbcResellersTest.class.getClassLoader()
                    .getResourceAsStream("pages/reseller/messages_" + language + ".properties")) {
                words.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            }
            for (String code : Refused.CODES) {
                String text = words.getProperty("reseller.error." + code);
                assertNotNull(text, language + ": reseller.error." + code);
                boolean named = code.equals(Refused.NAME_TOO_LONG) || code.equals(Refused.BRAND_UNKNOWN)
                        || code.equals(Refused.NOT_FOUND);
                assertEquals(named, text.contains("{0}"), language + ": " + code);
            }
        }
    }
}
