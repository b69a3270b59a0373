package io.cachet.order.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.order.Orders;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;
import io.cachet.api.rest.RestApi;

/** {@code GET /api/v1/catalogue}: what customers may order, public. */
@Component(service = CatalogueResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path("/catalogue")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "orders", description = "Orders of seal certificates")
public class CatalogueResource {

    private final Orders orders;

    @Activate
    public CatalogueResource(@Reference Orders orders) {
        this.orders = orders;
    }

    @Schema(name = "CataloguePrice")
    public record PriceView(int validityYears, String medium, @Schema(description = "excluding VAT, e.g. 290.00") String amount,
            String currency) {
        static PriceView of(Price p) {
            return new PriceView(p.validityYears(), p.medium().id(), p.amount().toPlainString(), p.currency());
        }
    }

    @Schema(name = "CatalogueProduct")
    public record ProductView(String id, @Schema(description = "by language: fr, en") java.util.Map<String, String> names,
            List<Integer> validityYears, List<String> media, List<PriceView> prices) {
        static ProductView of(Product p) {
            return new ProductView(p.id(), p.names(), p.validityYears(), p.media().stream().map(m -> m.id()).toList(),
                    p.prices().stream().map(PriceView::of).toList());
        }
    }

    @Schema(name = "Catalogue")
    public record CatalogueView(List<ProductView> products) {
    }

    @GET
    @PermitAll
    @Operation(summary = "The products customers may order, with validities, media and prices")
    @ApiResponse(responseCode = "200", description = "The catalogue",
            content = @Content(schema = @Schema(implementation = CatalogueView.class)))
    public CatalogueView catalogue() {
        return new CatalogueView(orders.catalogue().stream().map(ProductView::of).toList());
    }
}
