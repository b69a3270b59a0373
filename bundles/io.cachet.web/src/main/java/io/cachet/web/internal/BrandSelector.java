package io.cachet.web.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.brand.Brand;

/**
 * Picks the brand to show among the installed ones: the configured one when its bundle is there, otherwise
 * the default brand, otherwise a built-in fallback — so brands can be installed, switched and removed while
 * Cachet runs.
 */
@Component(name = "io.cachet.web.brand", service = BrandSelector.class, immediate = true)
@Designate(ocd = BrandConfiguration.class)
public class BrandSelector {

    private static final Logger LOG = LoggerFactory.getLogger(BrandSelector.class);

    /** Shown only when no brand bundle at all is installed. */
    static final Brand FALLBACK = new Brand() {
        @Override
        public String id() {
            return "builtin";
        }

        @Override
        public String displayName() {
            return "Cachet";
        }

        @Override
        public String primaryColour() {
            return "#0b3d91";
        }

        @Override
        public String supportEmail() {
            return "";
        }
    };

    private final Map<String, Brand> brands = new ConcurrentHashMap<>();
    private volatile String selected = "default";

    public BrandSelector() {
    }

    @Activate
    @Modified
    void configure(BrandConfiguration config) {
        select(config.brand());
    }

    public void select(String brandId) {
        selected = brandId == null || brandId.isBlank() ? "default" : brandId.strip();
        if (!brands.containsKey(selected)) {
            LOG.warn("Brand '{}' is not installed; showing '{}' until it is", selected, current().id());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addBrand(Brand brand) {
        brands.put(brand.id(), brand);
    }

    public void removeBrand(Brand brand) {
        brands.remove(brand.id(), brand);
    }

    /** The brand to show now. Never null. */
    public Brand current() {
        Brand b = brands.get(selected);
        if (b == null) {
            b = brands.get("default");
        }
        return b == null ? FALLBACK : b;
    }

    /** The installed brand of this id, whether shown or not (for a page of one order's brand), else null. */
    public Brand installed(String brandId) {
        return brandId == null ? null : brands.get(brandId);
    }
}
