package io.cachet.order.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import io.cachet.api.order.Medium;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;

/**
 * The catalogue, from the configuration {@code io.cachet.order.catalogue}: one product (Enterprise+ by default).
 * A configuration that does not make sense is refused with a message naming the property, and the previous
 * catalogue stays.
 */
@Component(name = Catalogue.PID, service = Catalogue.class)
@Designate(ocd = CatalogueConfiguration.class)
public class Catalogue {

    static final String PID = "io.cachet.order.catalogue";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private volatile List<Product> products = List.of();

    public Catalogue() {
    }

    /** A catalogue with the default configuration's values, or another's (plain Java, for tests). */
    static Catalogue of(CatalogueConfiguration config) {
        Catalogue c = new Catalogue();
        c.configure(config);
        return c;
    }

    @Activate
    @Modified
    void configure(CatalogueConfiguration config) {
        products = List.of(product(config));
    }

    public List<Product> products() {
        return products;
    }

    static Product product(CatalogueConfiguration c) {
        if (!ID.matcher(c.productId()).matches()) {
            throw new IllegalArgumentException(PID + ": productId must be lower case letters, digits and '-'");
        }
        List<Integer> years = new ArrayList<>();
        for (int y : c.validityYears()) {
            if (y < 1 || y > 3) {
                throw new IllegalArgumentException(PID + ": validityYears must be among 1, 2, 3: " + y);
            }
            if (!years.contains(y)) {
                years.add(y);
            }
        }
        List<Medium> media = new ArrayList<>();
        for (String m : c.media()) {
            Medium medium = Medium.parse(m).orElseThrow(() -> new IllegalArgumentException(
                    PID + ": media must be among usb-a, usb-c, cloud: " + m));
            if (!media.contains(medium)) {
                media.add(medium);
            }
        }
        if (years.isEmpty() || media.isEmpty()) {
            throw new IllegalArgumentException(PID + ": give at least one validity and one medium");
        }
        List<Price> prices = new ArrayList<>();
        for (String p : c.prices()) {
            String[] parts = p.strip().split(":");
            try {
                Price price = new Price(Integer.parseInt(parts[0]), Medium.parse(parts[1]).orElseThrow(),
                        new BigDecimal(parts[2]), c.currency());
                if (years.contains(price.validityYears()) && media.contains(price.medium())) {
                    prices.add(price);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(PID + ": prices are 'years:medium:amount', e.g. 1:cloud:290.00: " + p);
            }
        }
        return new Product(c.productId(), Map.of("fr", c.nameFr(), "en", c.nameEn()), years, media, prices);
    }
}
