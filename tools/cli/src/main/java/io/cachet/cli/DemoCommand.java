package io.cachet.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.cachet.cli.demo.DemoException;
import io.cachet.cli.demo.Http;
import io.cachet.cli.demo.Journey;
import io.cachet.cli.demo.Summary;

/**
 * {@code demo}: one order through every step, over the server's public HTTP endpoints only (see {@link Journey}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Drive one order through every step on a running Cachet server, over its public HTTP endpoints only:",
        "the order, each person's phone identification (sample evidence made up here), the operator's reviews,",
        "the organisation's documents, both persons' acceptance (codes read from the outbox), the issuance,",
        "and download the certificate, the signed acceptance form and the evidence file into --out.",
        "The API key's operator needs the roles operator (or admin) and ra-officer.",
        "With --medium usb-a|usb-c --pkcs11-module LIB it also provisions a blank token of that module, ships it,",
        "retrieves the initialisation PIN with the SMS code, activates the token with a holder PIN and signs a PDF.",
        "With --medium cloud on a server with the customer space it sets the manager's password through the e-mail",
        "link, seals a PDF with Click&Cert (re-authentication) and signs one hash through the CSC API.",
        "Exit 0 when the order is ACTIVE (cloud with the customer space, token with --pkcs11-module), delivered",
        "(cloud without it) or waits for its token's",
        "provisioning, 1 when it stopped elsewhere, 2 when nothing could start (server, key, options).",
        "DIR/summary.json says where it ended." })
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--server", defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the running Cachet server (default: ${DEFAULT-VALUE})")
    URI server;

    @Option(names = "--api-key", description = "An API key of an operator with the roles operator (or admin) and"
            + " ra-officer; default: the environment variable CACHET_API_KEY")
    String apiKey;

    @Option(names = "--medium", defaultValue = "cloud", description = "cloud, usb-a or usb-c (default: ${DEFAULT-VALUE})")
    String medium;

    @Option(names = "--out", required = true, description = "Folder for summary.json and the files downloaded")
    Path out;

    @Option(names = "--second-reviewer-key", description = "An API key of another registration officer, for servers"
            + " that want two approvals of each identity")
    String secondReviewerKey;

    @Option(names = "--language", defaultValue = "en", description = "The order's language, fr or en (default:"
            + " ${DEFAULT-VALUE})")
    String language;

    @Option(names = "--pkcs11-module", paramLabel = "LIB", description = "usb-a, usb-c: the PKCS#11 module of the"
            + " blank token to provision (e.g. /usr/lib/softhsm/libsofthsm2.so); the demo then ships it, retrieves the"
            + " initialisation PIN, activates the token with a holder PIN and signs a PDF with it. Without it the"
            + " demo stops when the order waits for its token's provisioning")
    String pkcs11Module;

    @Option(names = "--timeout", defaultValue = "300", description = "Seconds the order may stay still before the"
            + " demo gives up (default: ${DEFAULT-VALUE})")
    int timeout;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        String key = apiKey != null && !apiKey.isBlank() ? apiKey.strip()
                : System.getenv("CACHET_API_KEY") == null ? null : System.getenv("CACHET_API_KEY").strip();
        if (key == null || key.isEmpty()) {
            err.println("cachet-cli: give an API key with --api-key (or CACHET_API_KEY)");
            return 2;
        }
        if (!language.equals("fr") && !language.equals("en")) {
            err.println("cachet-cli: --language must be fr or en");
            return 2;
        }
        if (timeout < 1) {
            err.println("cachet-cli: --timeout must be 1 or more seconds");
            return 2;
        }
        if (pkcs11Module != null && medium.equals("cloud")) {
            err.println("cachet-cli: --pkcs11-module goes with --medium usb-a or usb-c");
            return 2;
        }
        if (pkcs11Module != null && !java.nio.file.Files.isRegularFile(Path.of(pkcs11Module))) {
            err.println("cachet-cli: the PKCS#11 module " + pkcs11Module + " does not exist");
            return 2;
        }
        URI base = server.getPath() == null || server.getPath().isEmpty() ? server.resolve("/") : server;
        Journey journey;
        try {
            journey = new Journey(new Http(base, key), new Journey.Options(medium, language, out, secondReviewerKey,
                    Duration.ofSeconds(timeout), Duration.ofMillis(500), pkcs11Module, DemoSigning::signAndCheck),
                    stdout, new SecureRandom());
        } catch (DemoException e) {
            err.println("cachet-cli: " + e.getMessage());
            return 2;
        }
        try {
            Summary s = journey.run();
            stdout.println("summary: " + out.resolve("summary.json") + " (order " + s.orderId() + ", " + s.state()
                    + ", complete)");
            stdout.flush();
            return 0;
        } catch (DemoException e) {
            stdout.flush();
            err.println("cachet-cli: demo stopped: " + e.getMessage());
            err.println("cachet-cli: summary: " + out.resolve("summary.json"));
            err.flush();
            return e.setup() && journey.summary().orderId() == null ? 2 : 1;
        }
    }
}
