package io.cachet.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cachet.api.web.ConsolePage;

class NavigationTest {

    static ConsolePage page(String path, String key, int rank, String... roles) {
        return new ConsolePage() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public String titleKey() {
                return key;
            }

            @Override
            public Set<String> roles() {
                return Set.of(roles);
            }

            @Override
            public int rank() {
                return rank;
            }
        };
    }

    final Navigation navigation = new Navigation();

    Navigation withPages() {
        navigation.add(page("/console", "console.nav.home", 0));
        navigation.add(page("/console/operators", "console.nav.operators", 900, "admin"));
        navigation.add(page("/console/orders", "order-console.nav", 10, "admin", "ra-officer", "support", "auditor"));
        navigation.add(page("/console/outbox", "notify.outbox.nav", 50, "admin", "operator"));
        navigation.add(page("/console/api-keys", "console.nav.apiKeys", 950));
        return navigation;
    }

    static List<String> paths(List<Navigation.Entry> entries) {
        return entries.stream().map(Navigation.Entry::path).toList();
    }

    @Test
    void anOperatorSeesTheEntriesOfTheirRolesByRank() {
        withPages();
        assertEquals(List.of("/console", "/console/orders", "/console/outbox", "/console/operators", "/console/api-keys"),
                paths(navigation.entries(Set.of("admin"), "/console")));
        assertEquals(List.of("/console", "/console/orders", "/console/api-keys"),
                paths(navigation.entries(Set.of("support"), "/console")));
        assertEquals(List.of("/console", "/console/outbox", "/console/api-keys"),
                paths(navigation.entries(Set.of("operator"), "/console")));
        assertEquals(List.of("/console", "/console/api-keys"), paths(navigation.entries(Set.of(), "/console")),
                "no role: only the entries open to every operator");
    }

    @Test
    void theCurrentEntryIsTheLongestPathThePageFallsUnder() {
        withPages();
        List<Navigation.Entry> onOrder = navigation.entries(Set.of("admin"), "/console/orders/o-123");
        assertEquals(List.of("/console/orders"), onOrder.stream().filter(Navigation.Entry::current)
                .map(Navigation.Entry::path).toList());
        assertEquals(List.of("/console"), navigation.entries(Set.of("admin"), "/console/").stream()
                .filter(Navigation.Entry::current).map(Navigation.Entry::path).toList());
        assertEquals(List.of(), navigation.entries(Set.of("admin"), "/console/ordersx").stream()
                .filter(Navigation.Entry::current).map(Navigation.Entry::path).toList(),
                "a path that only starts with the same letters is not under the entry, and home is only itself");
        assertEquals(List.of(), navigation.entries(Set.of("admin"), "/console/password").stream()
                .filter(Navigation.Entry::current).map(Navigation.Entry::path).toList(),
                "a page under no entry marks none: not home");
    }

    @Test
    void entriesComeAndGoWithTheirServicesAndNeverLeadOutsideTheConsole() {
        ConsolePage orders = page("/console/orders", "order-console.nav", 10);
        navigation.add(orders);
        navigation.add(page("https://evil.example/", "x.nav", 1));
        navigation.add(page("/system/console/bundles", "x.nav", 1));
        navigation.add(page("/consoleevil", "x.nav", 1));
        assertEquals(List.of("/console/orders"), paths(navigation.entries(Set.of(), "/console")));
        navigation.remove(orders);
        assertEquals(List.of(), navigation.entries(Set.of(), "/console"));
    }

    @Test
    void theTitleIsLookedUpInTheNamespaceItsKeyNames() {
        assertEquals("order-console", page("/console/orders", "order-console.nav", 1).namespace());
        assertEquals("console", page("/console", "console.nav.home", 0).namespace());
    }
}
