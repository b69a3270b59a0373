package io.cachet.reseller.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.brand.Brand;
import io.cachet.api.operator.OperatorDirectory;
import io.cachet.api.reseller.Reseller;
import io.cachet.api.reseller.Resellers;
import io.cachet.api.store.Database;

/** The {@link Resellers} service: {@link JdbcResellers} on the deployment's database, knowing the installed brands. */
@Component(service = Resellers.class)
public class ResellersComponent implements Resellers {

    private final Set<String> brands = ConcurrentHashMap.newKeySet();
    private final JdbcResellers resellers;

    @Activate
    public ResellersComponent(@Reference Database database, @Reference OperatorDirectory directory,
            @Reference AuditLog audit) {
        this.resellers = new JdbcResellers(database, directory, audit, Clock.systemUTC(), brands::contains);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBrand(Brand brand, Map<String, Object> properties) {
        brands.add(brand.id());
    }

    void removeBrand(Brand brand, Map<String, Object> properties) {
        brands.remove(brand.id());
    }

    @Override
    public Created create(String name, String brand, String actor) {
        return resellers.create(name, brand, actor);
    }

    @Override
    public Optional<Reseller> find(String id) {
        return resellers.find(id);
    }

    @Override
    public Optional<Reseller> byLogin(String login) {
        return resellers.byLogin(login);
    }

    @Override
    public List<Reseller> list() {
        return resellers.list();
    }

    @Override
    public Reseller setDisabled(String id, boolean disabled, String actor) {
        return resellers.setDisabled(id, disabled, actor);
    }
}
