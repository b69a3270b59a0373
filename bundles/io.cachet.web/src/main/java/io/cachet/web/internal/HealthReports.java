package io.cachet.web.internal;

/** The health report of the server now; {@link HealthServlet} makes it, {@link HealthResource} shows it to operators. */
public interface HealthReports {

    HealthReport report();
}
