package io.cachet.notify.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.notify.Channel;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Outbox;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * {@code GET /api/v1/outbox}: the messages the embedded default keeps instead of sending them, newest first, for
 * operators with the role {@code admin} or {@code operator}. Only while some channel uses the outbox: once every
 * channel is sent by SMTP or a gateway, it answers 404.
 */
@Component(service = OutboxResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/outbox")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "outbox", description = "Messages kept in the outbox (embedded default) instead of being sent")
public class OutboxResource {

    static final int MAX_LIMIT = 500;

    private final Outbox outbox;

    @Activate
    public OutboxResource(@Reference Outbox outbox) {
        this.outbox = outbox;
    }

    @Schema(name = "OutboxMessage", description = "A message kept in the outbox")
    public record MessageView(String id, @Schema(allowableValues = {"email", "sms"}) String channel,
            @Schema(description = "e-mail address or E.164 phone number") String to,
            @Schema(description = "e-mail subject; empty for an SMS") String subject, String body,
            @Schema(description = "template key") String template, String language, String brand,
            @Schema(format = "date-time") String createdAt) {

        static MessageView of(NotificationRecord m) {
            return new MessageView(m.id(), m.channel().id(), m.recipient(), m.subject(), m.body(), m.template(),
                    m.language(), m.brand(), text(m.createdAt()));
        }
    }

    @Schema(name = "OutboxPage", description = "A page of the outbox, newest first")
    public record Page(@Schema(description = "channels kept in the outbox now") List<String> channels,
            @Schema(description = "messages in the outbox (of the channel asked for)") long total, int offset,
            int limit, List<MessageView> messages) {
    }

    @GET
    @RolesAllowed({RestApi.ROLE_ADMIN, RestApi.ROLE_OPERATOR})
    @Operation(summary = "Messages in the outbox, newest first",
            description = "Only while the outbox is in use (the embedded default for e-mail and SMS)")
    @ApiResponse(responseCode = "200", description = "A page of messages",
            content = @Content(schema = @Schema(implementation = Page.class)))
    @ApiResponse(responseCode = "400", description = "A bad channel, offset or limit")
    @ApiResponse(responseCode = "401", description = "No valid API key")
    @ApiResponse(responseCode = "403", description = "Neither admin nor operator")
    @ApiResponse(responseCode = "404", description = "The outbox is not in use: every channel is sent by SMTP or a gateway")
    public Page list(
            @Parameter(description = "email or sms; all when absent") @QueryParam("channel") String channel,
            @Parameter(description = "messages to skip, newest first") @QueryParam("offset") @DefaultValue("0") int offset,
            @Parameter(description = "1 to 500") @QueryParam("limit") @DefaultValue("50") int limit) {
        List<String> inUse = outbox.channels().stream().map(Channel::id).sorted().toList();
        if (inUse.isEmpty()) {
            throw ApiException.notFound("The outbox is not in use: every channel is sent by SMTP or an SMS gateway"
                    + " (configuration io.cachet.notify).");
        }
        Channel c = channel(channel);
        if (offset < 0) {
            throw ApiException.badRequest("Parameter 'offset' must be 0 or more.");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("Parameter 'limit' must be 1 to " + MAX_LIMIT + ".");
        }
        List<MessageView> messages = outbox.list(c, offset, limit).stream().map(MessageView::of).toList();
        return new Page(inUse, outbox.count(c), offset, limit, messages);
    }

    private static Channel channel(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Channel.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Parameter 'channel' must be email or sms.");
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
