package io.cachet.api.identity;

/**
 * One automatic validation or verification run on a case's evidence (TS 119 461: evidence validation, binding to
 * the applicant), shown to the operator with its result.
 *
 * @param name stable name, e.g. {@code mrz.check-digits}, {@code document.not-expired}, {@code document.type},
 *        {@code name.match}, {@code birth-date.match}, {@code image.resolution}, {@code vendor.result}
 * @param passed whether it passed
 * @param detail what was compared or found, for the operator (e.g. "expires 2031-04-15"); may be empty
 */
public record CheckResult(String name, boolean passed, String detail) {
}
