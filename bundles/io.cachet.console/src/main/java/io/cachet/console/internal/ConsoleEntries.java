package io.cachet.console.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.rest.RestApi;
import io.cachet.api.web.ConsolePage;

/** The navigation entries of this bundle's pages, registered like any other bundle's. */
public final class ConsoleEntries {

    private ConsoleEntries() {
    }

    /** {@code /console}: the home page, for every operator. */
    @Component(service = ConsolePage.class)
    public static class Home implements ConsolePage {
        @Override
        public String path() {
            return io.cachet.api.web.ConsoleAccess.HOME;
        }

        @Override
        public String titleKey() {
            return "console.nav.home";
        }

        @Override
        public int rank() {
            return 0;
        }
    }

    /** {@code /console/operators}: operator accounts, for administrators. */
    @Component(service = ConsolePage.class)
    public static class Operators implements ConsolePage {
        @Override
        public String path() {
            return OperatorsServlet.PATH;
        }

        @Override
        public String titleKey() {
            return "console.nav.operators";
        }

        @Override
        public Set<String> roles() {
            return Set.of(RestApi.ROLE_ADMIN);
        }

        @Override
        public int rank() {
            return 900;
        }
    }

    /** {@code /console/api-keys}: one's own API keys, for every operator. */
    @Component(service = ConsolePage.class)
    public static class ApiKeys implements ConsolePage {
        @Override
        public String path() {
            return ApiKeysServlet.PATH;
        }

        @Override
        public String titleKey() {
            return "console.nav.apiKeys";
        }

        @Override
        public int rank() {
            return 950;
        }
    }

    /** {@code /console/password}: one's own password, for every operator. */
    @Component(service = ConsolePage.class)
    public static class Password implements ConsolePage {
        @Override
        public String path() {
            return PasswordChangeServlet.PATH;
        }

        @Override
        public String titleKey() {
            return "console.nav.password";
        }

        @Override
        public int rank() {
            return 960;
        }
    }

}
