package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.condition.Condition;

import io.cachet.api.health.Readiness;

/**
 * The readiness watch outlives a look at the components that fails (SCR read while components change): it alone
 * registers {@link Readiness#SETTLED} and {@link Readiness#READY}, and when it ended at such an exception a first start
 * stayed at 503 for ever. A framework stand-in (proxies) whose component runtime fails the first looks.
 */
class ReadinessWatchTest {

    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicInteger looks = new AtomicInteger();

    /** The servlet over a framework stand-in whose component runtime fails its first {@code failing} looks. */
    private HealthServlet health(int failing) {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getBundles":
                            return new Bundle[0];
                        case "registerService":
                            String id = (String) ((Dictionary<?, ?>) args[2]).get(Condition.CONDITION_ID);
                            registered.add(id);
                            if (Readiness.READY.equals(id)) {
                                ready.countDown();
                            }
                            return Proxy.newProxyInstance(getClass().getClassLoader(),
                                    new Class<?>[] { ServiceRegistration.class }, (p, m, a) -> null);
                        default:
                            return null; // listeners added and removed, properties unset
                    }
                });
        ServiceComponentRuntime scr = (ServiceComponentRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { ServiceComponentRuntime.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getComponentDescriptionDTOs")) {
                        if (looks.incrementAndGet() <= failing) {
                            throw new IllegalStateException("component being disposed");
                        }
                        return (Collection<ComponentDescriptionDTO>) List.<ComponentDescriptionDTO>of();
                    }
                    return null;
                });
        HealthConfiguration config = new HealthConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HealthConfiguration.class;
            }

            @Override
            public String[] requiredIndicators() {
                return new String[0];
            }
        };

        return new HealthServlet(context, scr, config);
    }

    @Test
    void aFailedLookIsRetriedAndCachetIsStillAnnouncedReady() throws Exception {
        HealthServlet health = health(3);
        try {
            assertTrue(ready.await(30, TimeUnit.SECONDS), "never announced ready; conditions registered: " + registered
                    + ", looks at the components: " + looks.get());
            assertTrue(registered.contains(Readiness.SETTLED), registered.toString());
            assertTrue(looks.get() > 3, "the failed looks were not the last: " + looks.get());
        } finally {
            health.deactivate();
        }
    }

    @Test
    void whileTheComponentsCannotBeReadHealthSaysDownNotAnError() throws Exception {
        HealthServlet health = health(Integer.MAX_VALUE);
        try (LocalJetty jetty = LocalJetty.start((request, response, chain) -> chain.doFilter(request, response),
                health, "/health")) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(jetty.base() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, answer.statusCode());
            assertEquals("{\"status\":\"DOWN\"}", answer.body().replaceAll("\\s", ""));
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
        } finally {
            health.deactivate();
        }
    }
}
