package io.cachet.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ca renew-arl}: the root's ARL ceremony. The root token's PIN is asked without echo (or read from a file on
 * the operator's offline medium) and sent once to the running server's {@code POST /api/v1/ca/arl}, which opens the
 * root token for that one signature. Through the server because the embedded database cannot be opened by a second
 * process while it runs.
 */
@Command(name = "ca", description = "CA ceremonies.", subcommands = CaCommand.RenewArl.class,
        mixinStandardHelpOptions = true)
final class CaCommand implements Callable<Integer> {

    /** The command line's one JSON mapper (thread-safe once configured). */
    static final ObjectMapper JSON = new ObjectMapper();


    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "renew-arl", mixinStandardHelpOptions = true, description = {
            "Renew the root's authority revocation list (/pki/root.crl) on the running server.",
            "Connect the root token first; its PIN is asked without echo and kept by nobody.",
            "Exit 0 when renewed, 1 when the server refused, 2 on other errors." })
    static final class RenewArl implements Callable<Integer> {

        @Option(names = "--url", defaultValue = "http://127.0.0.1:8080",
                description = "Base URL of the running Cachet server (default: ${DEFAULT-VALUE})")
        URI url;

        @Option(names = "--api-key-file", description = "File whose first line is an admin API key; default: the"
                + " environment variable CACHET_API_KEY, else asked without echo")
        Path apiKeyFile;

        @Option(names = "--pin-file", description = "File whose first line is the root token's user PIN (e.g. on"
                + " the offline medium); default: asked without echo")
        Path pinFile;

        @Override
        public Integer call() throws IOException, InterruptedException {
            char[] apiKey = apiKeyFile != null ? Secrets.read(apiKeyFile, "admin API key")
                    : System.getenv("CACHET_API_KEY") != null && !System.getenv("CACHET_API_KEY").isBlank()
                            ? System.getenv("CACHET_API_KEY").strip().toCharArray()
                            : Secrets.read(null, "admin API key");
            char[] pin = Secrets.read(pinFile, "root token PIN");
            byte[] body = null;
            try {
                body = body(pin);
                HttpRequest request = HttpRequest.newBuilder(url.resolve("/api/v1/ca/arl"))
                        .timeout(Duration.ofMinutes(2))
                        .header("Authorization", "Bearer " + new String(apiKey))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                HttpResponse<String> response;
                try {
                    response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                            .send(request, HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException e) {
                    throw new IllegalArgumentException("no Cachet server answers at " + url + "; start it, or give"
                            + " its address with --url");
                }
                JsonNode json = parse(response.body());
                if (response.statusCode() == 201) {
                    System.out.printf("ARL %s renewed: valid until %s, published at %s%n", json.path("number").asText(),
                            json.path("nextUpdate").asText(), url.resolve(json.path("url").asText("/pki/root.crl")));
                    return 0;
                }
                System.err.println("cachet-cli: the server refused (" + response.statusCode() + "): "
                        + json.path("error_description").asText(response.body()));
                return 1;
            } finally {
                Arrays.fill(pin, '\0');
                Arrays.fill(apiKey, '\0');
                if (body != null) {
                    Arrays.fill(body, (byte) 0);
                }
            }
        }

        /** {@code {"rootPin":"..."}} built from the characters, without a String of the PIN. */
        static byte[] body(char[] pin) {
            char[] json = new char[pin.length * 6 + 16];
            int n = 0;
            for (char c : "{\"rootPin\":\"".toCharArray()) {
                json[n++] = c;
            }
            for (char c : pin) {
                if (c == '"' || c == '\\') {
                    json[n++] = '\\';
                    json[n++] = c;
                } else if (c < 0x20) {
                    for (char e : String.format("\\u%04x", (int) c).toCharArray()) {
                        json[n++] = e;
                    }
                } else {
                    json[n++] = c;
                }
            }
            json[n++] = '"';
            json[n++] = '}';
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(json, 0, n));
            byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
            Arrays.fill(encoded.array(), (byte) 0);
            Arrays.fill(json, '\0');
            return bytes;
        }

        private static JsonNode parse(String text) {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                return JSON.createObjectNode().put("error_description", text);
            }
        }
    }
}
