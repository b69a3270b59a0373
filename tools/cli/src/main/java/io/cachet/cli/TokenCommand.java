package io.cachet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.cachet.api.security.SecretFiles;
import io.cachet.api.token.TokenInfo;
import io.cachet.cli.demo.DemoException;
import io.cachet.cli.demo.Http;
import io.cachet.cli.token.Activation;
import io.cachet.cli.token.PinRules;
import io.cachet.cli.token.Provisioning;
import io.cachet.cli.token.ProvisioningApi;
import io.cachet.cli.token.ServerRefusal;
import io.cachet.cli.token.TokenDrivers;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;

/** {@code token provision} (the operator's station) and {@code token activate} (the holder's first use). */
@Command(name = "token", mixinStandardHelpOptions = true, description = "USB tokens of token orders: provision one"
        + " at the operator's station, activate it at the holder's.", subcommands = {TokenCommand.Provision.class,
                TokenCommand.Activate.class})
final class TokenCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static String apiKey(Path file) {
        if (file != null) {
            char[] key = Secrets.read(file, "API key", "--api-key-file");
            try {
                return new String(key).strip();
            } finally {
                Arrays.fill(key, '\0');
            }
        }
        String env = System.getenv("CACHET_API_KEY");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        char[] typed = Secrets.read(null, "API key (operator)", "--api-key-file");
        try {
            return new String(typed).strip();
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    static URI base(URI server) {
        return server.getPath() == null || server.getPath().isEmpty() ? server.resolve("/") : server;
    }

    @Command(name = "provision", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "Provision a token order's seal on a blank token: initialise it (label from the order, a random",
            "initialisation PIN registered encrypted with the server and never shown, a random SO PIN forgotten at",
            "once), generate the key on the token, have the certificate issued and write it on the token.",
            "Run it again after an interruption: it resumes with the same token, or starts over with a new one.",
            "Exit 0 when provisioned, 1 when it stopped half-way (recorded on the server), 2 when nothing started."})
    static final class Provision implements Callable<Integer> {

        @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
                description = "Base URL of the Cachet server (default: ${DEFAULT-VALUE}).")
        URI server;

        @Option(names = "--order", required = true, paramLabel = "ID", description = "The order to provision.")
        String order;

        @Option(names = "--module", required = true, paramLabel = "LIB", description = "The token's PKCS#11 module,"
                + " e.g. /usr/lib/libeTPkcs11.so (SafeNet Authentication Client).")
        String module;

        @Option(names = "--slot", paramLabel = "N", description = "The token's slot; default: the order's own token"
                + " when its provisioning can resume, else the only blank token.")
        Long slot;

        @Option(names = "--api-key-file", paramLabel = "FILE", description = "File whose first line is an operator's"
                + " API key; default: the environment variable CACHET_API_KEY, else asked.")
        Path apiKeyFile;

        @Option(names = "--reinitialise", description = "Erase the initialised token in --slot (all its keys are"
                + " lost); needs --so-pin-file.")
        boolean reinitialise;

        @Option(names = "--so-pin-file", paramLabel = "FILE", description = "File whose first line is the SO PIN of"
                + " the token to erase.")
        Path soPinFile;

        @Option(names = "--pause-after", hidden = true, paramLabel = "STEP", description = "Wait after STEP"
                + " (initialise, key, csr, write) until stopped: an interruption at a known point, for tests and"
                + " training.")
        String pauseAfter;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (pauseAfter != null && !java.util.Set.of("initialise", "key", "csr", "write").contains(pauseAfter)) {
                err.println("cachet-cli: --pause-after takes initialise, key, csr or write");
                return 2;
            }
            if (reinitialise != (soPinFile != null)) {
                err.println("cachet-cli: --reinitialise and --so-pin-file go together");
                return 2;
            }
            if (reinitialise && slot == null) {
                err.println("cachet-cli: --reinitialise erases a token: name it with --slot N");
                return 2;
            }
            String key = apiKey(apiKeyFile);
            char[] soPin = reinitialise ? Secrets.read(soPinFile, "SO PIN", "--so-pin-file") : null;
            try (Pkcs11TokenDriver driver = TokenDrivers.open(module)) {
                ProvisioningApi api = new ProvisioningApi(new Http(base(server), key));
                Provisioning p = new Provisioning(api, driver, module, line -> {
                    out.println(line);
                    out.flush();
                }, new SecureRandom()).pauseAfter(pauseAfter);
                Provisioning.Result r = p.run(order, slot, soPin);
                out.println("done: order " + r.orderId() + " provisioned on token '" + r.tokenLabel() + "' (serial "
                        + r.tokenSerial() + "), certificate " + r.certificateSerial() + "; shipment "
                        + r.shipment().id() + ": print its label at " + api.http().resolve(r.shipment().labelUrl()));
                out.flush();
                return 0;
            } catch (Provisioning.Stopped e) {
                out.flush();
                err.println("cachet-cli: " + e.getMessage());
                return 1;
            } catch (ServerRefusal | DemoException | IllegalArgumentException e) {
                out.flush();
                err.println("cachet-cli: " + e.getMessage());
                return 2;
            } finally {
                if (soPin != null) {
                    Arrays.fill(soPin, '\0');
                }
            }
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "Replace the initialisation PIN of the token you received with your own PIN (asked twice, not shown);",
            "the provider never sees it. With --link, tell Cachet the token is activated (the order becomes ACTIVE).",
            "Exit 0 when done, 1 when the token refused (wrong initialisation PIN, locked) or the report failed,",
            "2 when nothing started (options, no token, a new PIN that breaks the rules)."})
    static final class Activate implements Callable<Integer> {

        @Option(names = "--module", required = true, paramLabel = "LIB", description = "The token's PKCS#11 module,"
                + " e.g. /usr/lib/libeTPkcs11.so (SafeNet Authentication Client).")
        String module;

        @Option(names = "--token", paramLabel = "LABEL", description = "The token's label, when several are"
                + " plugged in.")
        String label;

        @Option(names = "--link", paramLabel = "URL", description = "The order's management link (from the order"
                + " e-mail), to report the activation.")
        String link;

        @Option(names = "--server", paramLabel = "URL", description = "Base URL of the Cachet server; default: the"
                + " link's.")
        URI server;

        @Option(names = "--pin-file", paramLabel = "FILE", description = "File whose first line is the"
                + " initialisation PIN (for scripts); default: asked.")
        Path pinFile;

        @Option(names = "--new-pin-file", paramLabel = "FILE", description = "File whose first line is the new PIN"
                + " and whose second line, when present, repeats it (for scripts); default: asked twice.")
        Path newPinFile;

        @Option(names = "--min-length", defaultValue = "4", paramLabel = "N", description = "Fewest digits of the"
                + " new PIN, 4 to 16 (default: ${DEFAULT-VALUE}).")
        int minLength;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PinRules rules;
            URI reportTo = null;
            try {
                rules = new PinRules(minLength, PinRules.DEFAULT_MAX);
                if (link != null) {
                    reportTo = server != null ? base(server) : origin(link);
                } else if (server != null) {
                    throw new IllegalArgumentException("--server goes with --link (the management link)");
                }
            } catch (IllegalArgumentException e) {
                err.println("cachet-cli: " + e.getMessage());
                return 2;
            }
            String serial;
            char[] initPin = null;
            char[] newPin = null;
            char[] repeated = null;
            try (Pkcs11TokenDriver driver = TokenDrivers.open(module)) {
                TokenInfo info = Activation.choose(driver.tokens(), label, module);
                serial = info.serial();
                out.println(Activation.describe(info));
                out.flush();
                initPin = Secrets.read(pinFile, "initialisation PIN (from the management link)");
                if (newPinFile != null) {
                    char[][] lines = twoLines(newPinFile);
                    newPin = lines[0];
                    repeated = lines[1];
                } else {
                    newPin = Secrets.read(null, "your new PIN (" + minLength + " to " + PinRules.DEFAULT_MAX
                            + " digits)", "--new-pin-file");
                    repeated = Secrets.read(null, "the new PIN again", "--new-pin-file");
                }
                rules.check(initPin, newPin, repeated);
                Activation.changePin(driver, info, initPin, newPin);
                out.println("activated: the token's PIN is now yours alone; keep it secret, no one can unblock the"
                        + " token if it locks");
                out.flush();
            } catch (Activation.Refused e) {
                err.println("cachet-cli: " + e.getMessage());
                return 1;
            } catch (IllegalArgumentException e) {
                err.println("cachet-cli: " + e.getMessage());
                return 2;
            } finally {
                for (char[] s : new char[][] {initPin, newPin, repeated}) {
                    if (s != null) {
                        Arrays.fill(s, '\0');
                    }
                }
            }
            if (reportTo == null) {
                out.println("tell Cachet the token is activated: open the management link and choose \"I have set my"
                        + " own PIN\", or run this with --link");
                return 0;
            }
            try {
                String state = new ProvisioningApi(new Http(reportTo, null)).activated(link, serial);
                out.println("reported to Cachet: the order is " + state);
                return 0;
            } catch (ServerRefusal | DemoException e) {
                err.println("cachet-cli: the PIN was changed, but " + e.getMessage() + "; open the management link"
                        + " and choose \"I have set my own PIN\"");
                return 1;
            }
        }

        static URI origin(String link) {
            URI u;
            try {
                u = URI.create(link.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--link is not a URL: give the management link from the order"
                        + " e-mail, or its token with --server URL");
            }
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                throw new IllegalArgumentException("--link " + link + " names no server: give the whole management"
                        + " link, or add --server URL");
            }
            return URI.create(u.getScheme() + "://" + u.getRawAuthority() + "/");
        }

        /** The new PIN and its repetition (the first line again when the file has one line). */
        static char[][] twoLines(Path file) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + " (--new-pin-file): " + e.getMessage());
            }
            try {
                char[] first = SecretFiles.firstLine(content);
                int nl = indexOf(content, (byte) '\n');
                char[] second = nl < 0 || nl + 1 >= content.length ? first.clone()
                        : SecretFiles.firstLine(Arrays.copyOfRange(content, nl + 1, content.length));
                if (first.length == 0) {
                    throw new IllegalArgumentException("the file " + file + " (--new-pin-file) is empty");
                }
                return new char[][] {first, second.length == 0 ? first.clone() : second};
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new IllegalArgumentException("the file " + file + " (--new-pin-file) is not UTF-8 text");
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        }

        private static int indexOf(byte[] b, byte v) {
            for (int i = 0; i < b.length; i++) {
                if (b[i] == v) {
                    return i;
                }
            }
            return -1;
        }
    }
}
