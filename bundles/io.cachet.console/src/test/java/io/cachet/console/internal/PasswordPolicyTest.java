package io.cachet.console.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachet.api.operator.OperatorException;

class PasswordPolicyTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "short                     | at least 12 characters",
        "aaaaaaaaaaaa              | repeats too few characters",
        "AAAAAAAAAAAAAAAAAAAA      | repeats too few characters",
        "111111222222              | repeats too few characters",
        "abcdeabcdeabcde           | repeats a shorter pattern",
        "Passw0rd!Passw0rd!        | repeats a shorter pattern",
        "123456789012              | is a sequence",
        "210987654321              | is a sequence",
        "abcdefghijklmnop          | is a sequence",
        "qwertyuiop[]              | is a sequence",
        "password123456            | list of commonly used passwords",
        "PASSWORD123456            | list of commonly used passwords",
        "Password2024!             | list of commonly used passwords",
        "!!dragon1234!!            | list of commonly used passwords",
        "iloveyou12345             | list of commonly used passwords",
        "qwerty123456              | list of commonly used passwords",
        "Correct Horse Battery Staple | list of commonly used passwords",
        "welcome2026!!             | list of commonly used passwords",
        "alice-likes-cats          | must not contain your login",
        "my.ALICE.passphrase       | must not contain your login",
    })
    void trivialPasswordsAreRefusedNamingTheRule(String password, String rule) {
        OperatorException e = assertThrows(OperatorException.class,
                () -> PasswordPolicy.check("alice", null, password.toCharArray()));
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery", "Tr0ub4dor&3-extra", "a-much-longer-secret-42",
        "sel-poivre-moutarde", "dragonfly in the attic", "kq7#Lp2!vX9z"})
    void reasonablePasswordsPass(String password) {
        assertDoesNotThrow(() -> PasswordPolicy.check("alice", null, password.toCharArray()));
    }

    @Test
    void theBundledListIsThere() {
        assertTrue(PasswordPolicy.commonCount() > 400, "entries: " + PasswordPolicy.commonCount());
    }

    @Test
    void absurdLengthsAreRefused() {
        assertThrows(OperatorException.class, () -> PasswordPolicy.check("alice", null, "x1!".repeat(100).toCharArray()));
    }
}
