package io.cachet.identity.internal;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.store.testing.TestDatabases;

/**
 * The process {@link DecisionCrashTest} kills: on the embedded database of the data directory given as argument, an
 * order's case goes to review and is approved; once {@code decide} has returned it prints {@code DECIDED <case>
 * <order>} and waits to be killed.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Fixture f = new Fixture(TestDatabases.embedded(data), data, Map.of());
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        f.cases.start(k.orderId(), k.role(), "fr");
        f.cases.providerResult(k.id(), new ProviderResult(ProviderResult.Outcome.VERIFIED, null, null,
                LocalDate.parse("1974-08-12"), null, null, null, List.of()), "provider:mobile");
        IdentityCase approved = f.cases.decide(k.id(), true, null, "", false, "alice");
        System.out.println("DECIDED " + approved.id() + " " + o.id() + " " + approved.status());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
