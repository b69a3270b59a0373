package io.cachet.delivery.cloud.internal.space;

import java.util.List;
import java.util.Optional;

import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.Holder;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;

import jakarta.servlet.http.HttpServletRequest;

/** {@link HolderAccess} over the {@link SpaceService}, as plain Java (the component offers it as the service). */
final class SpaceAccess implements HolderAccess {

    private final SpaceService service;

    SpaceAccess(SpaceService service) {
        this.service = service;
    }

    @Override
    public Optional<HolderSession> session(HttpServletRequest request) {
        return SpaceComponent.Access.session(service, request);
    }

    @Override
    public boolean genuine(HolderSession session, HttpServletRequest request) {
        return SpaceComponent.Access.genuine(session, request, service.settings().baseUrl());
    }

    @Override
    public Optional<Holder> holder(String holderId) {
        return service.holder(holderId);
    }

    @Override
    public List<String> orderIds(String holderId) {
        return service.orderIds(holderId);
    }

    @Override
    public AuthOutcome login(String email, char[] password, String client) {
        return service.checkPassword(email, password, client);
    }

    @Override
    public AuthOutcome confirm(String holderId, char[] password, String factorKind, String factorResponse,
            String origin, String client) {
        return service.confirm(holderId, password, factorKind, factorResponse, origin, client);
    }

    @Override
    public List<String> factors(String holderId) {
        return service.factors(holderId);
    }

    @Override
    public Optional<String> factorChallenge(String holderId) {
        return service.factorChallenge(holderId);
    }
}
