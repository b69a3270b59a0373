package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;

/** Identity cases brought forward as a person would: the provider chosen by configuration, the e-mailed link opened. */
final class IdentityFixture {

    /** The identity service's configuration PID. */
    static final String PID = "io.cachet.identity";
    private static final Pattern START = Pattern.compile("https?://[^\\s\"<>]*(/identity/start/[A-Za-z0-9_-]+)");

    private IdentityFixture() {
    }

    /** New cases use {@code provider} (the identity service's default provider), other settings as they were. */
    static void useProvider(BundleContext context, String provider) throws IOException {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = context.getService(ref);
        try {
            Configuration c = admin.getConfiguration(PID, "?");
            Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            props.put("defaultProvider", provider);
            c.update(props);
        } finally {
            context.ungetService(ref);
        }
        // applied once the service carries it (DS publishes the component's configuration with the service)
        Probe.await("the identity service configured with provider " + provider, () -> provider.equals(
                context.getServiceReference(IdentityCases.class).getProperty("defaultProvider")));
    }

    /**
     * Opens the case's identity link from the outbox, as the person would: the provider starts an attempt (303 to
     * where it sends the person) and the case is in progress.
     */
    static void start(Probe probe, String adminKey, IdentityCases cases, IdentityCase c) {
        String[] path = {null};
        Probe.await("the identity link e-mailed to the person", () -> {
            HttpResponse<String> r = probe.get("/api/v1/outbox?channel=email&limit=500", "Authorization",
                    "Bearer " + adminKey);
            for (JsonNode m : Probe.json(r).path("messages")) {
                Matcher link = START.matcher(m.path("body").asText());
                if (m.path("to").asText().equals(c.email()) && link.find()) {
                    path[0] = URI.create(link.group(0)).getPath();
                    return true;
                }
            }
            return false;
        });
        HttpResponse<String> opened = probe.get(path[0], "Accept-Language", "en");
        assertEquals(opened.body(), 303, opened.statusCode());
        Probe.await("the attempt started", () -> cases.find(c.id()).orElseThrow().status() == CaseStatus.IN_PROGRESS);
        assertTrue(cases.find(c.id()).orElseThrow().currentAttempt() != null);
    }
}
