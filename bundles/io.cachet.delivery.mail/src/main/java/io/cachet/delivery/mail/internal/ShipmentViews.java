package io.cachet.delivery.mail.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.rest.ApiException;

/** The JSON of shipments and the problem answers of {@link DeliveryException}s, shared by the resources. */
final class ShipmentViews {

    private ShipmentViews() {
    }

    @Schema(name = "ShipmentAddress")
    public record AddressView(List<String> lines, String postalCode, String city,
            @Schema(description = "ISO 3166-1 alpha-2") String country) {
        static AddressView of(PostalAddress a) {
            return new AddressView(a.lines(), a.postalCode(), a.city(), a.country());
        }
    }

    @Schema(name = "Shipment", description = "A registered letter with acknowledgement of receipt carrying a token")
    public record ShipmentView(@Schema(description = "shp_…") String id, String orderId,
            @Schema(description = "what is shipped: the token's serial") String reference,
            @Schema(description = "the order's beneficiary") String recipient, AddressView address,
            @Schema(description = "carrier id, manual by default") String carrier, String trackingNumber,
            @Schema(allowableValues = { "PREPARED", "SENT", "DELIVERED", "RETURNED", "LOST" }) String state,
            boolean receiptAttached, String note, @Schema(format = "date-time") String createdAt,
            @Schema(format = "date-time") String updatedAt, @Schema(format = "date-time") String sentAt,
            @Schema(format = "date-time") String deliveredAt) {
        static ShipmentView of(Shipment s) {
            return new ShipmentView(s.id(), s.orderId(), s.reference(), s.recipient(), AddressView.of(s.address()),
                    s.carrier(), s.trackingNumber().orElse(null), s.state().name(), s.receiptAttached(),
                    s.note().orElse(null), time(s.createdAt()), time(s.updatedAt()),
                    s.sentAt().map(ShipmentViews::time).orElse(null),
                    s.deliveredAt().map(ShipmentViews::time).orElse(null));
        }
    }

    @Schema(name = "Shipments")
    public record ShipmentList(List<ShipmentView> items) {
        static ShipmentList of(List<Shipment> shipments) {
            return new ShipmentList(shipments.stream().map(ShipmentView::of).toList());
        }
    }

    @Schema(name = "ShipmentMove")
    public record MoveRequest(@Schema(allowableValues = { "SENT", "DELIVERED", "RETURNED", "LOST" },
            requiredMode = Schema.RequiredMode.REQUIRED) String state,
            @Schema(description = "required to move to SENT unless known") String trackingNumber,
            @Schema(description = "at most 500 characters") String note) {
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    static ApiException problem(DeliveryException e) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case LOCKED -> 423;
            case UNAVAILABLE -> 503;
        };
        String error = switch (e.kind()) {
            case NOT_FOUND -> "not_found";
            case CONFLICT -> "conflict";
            case INVALID -> "invalid_request";
            case LOCKED -> "locked";
            case UNAVAILABLE -> "unavailable";
        };
        return new ApiException(status, error, e.getMessage(), Map.of("code", "shipment." + e.kind().name()
                .toLowerCase(java.util.Locale.ROOT)));
    }
}
