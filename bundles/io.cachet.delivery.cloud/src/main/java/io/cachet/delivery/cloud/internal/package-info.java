/**
 * The cloud delivery's implementation; the types in this package are the contracts between its parts: the accounts
 * and sessions ({@code .space}), Click&amp;Cert ({@code .sign}) and the CSC API ({@code .csc}). Not exported.
 */
package io.cachet.delivery.cloud.internal;
