package io.cachet.itest;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code ca} health check in the running server: healthy on a fresh CA, and {@code /health} 503 naming the CA
 * token once that token is gone (its files removed under the running server), where it used to stay 200.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CaHealthIT {

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        return CachetRuntime.options(Files.createTempDirectory("cachet-it-cahealth-"), Map.of());
    }

    @Test
    public void aCaTokenThatIsGoneMakesHealth503NamingIt() throws Exception {
        Probe probe = new Probe(context);
        JsonNode ca = probe.healthyReport().path("checks").path("ca");
        assertTrue(ca.toString(), ca.path("healthy").asBoolean());
        assertTrue(ca.toString(), ca.path("detail").asText().contains("CA token 'Cachet CA' holds its keys"));

        // the CA token goes away (a removed token, a lost disk): its files vanish under the running server
        Path tokens = probe.data().resolve("tokens");
        try (Stream<Path> files = Files.list(tokens)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
                if (Files.readString(p).contains("label=Cachet CA\n")) {
                    Files.delete(p);
                    Files.delete(Path.of(p.toString().replace(".properties", ".p12")));
                }
            }
        }
        String[] last = {""};
        try {
            Probe.await("/health 503 naming the CA token", () -> {
                var r = probe.healthReport();
                last[0] = r.statusCode() + " " + r.body();
                JsonNode check = Probe.json(r).path("checks").path("ca");
                return r.statusCode() == 503 && !check.path("healthy").asBoolean(true)
                        && check.path("detail").asText().contains("CA token 'Cachet CA'");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
        }
        assertFalse(last[0], last[0].contains("\"status\":\"UP\""));
    }
}
