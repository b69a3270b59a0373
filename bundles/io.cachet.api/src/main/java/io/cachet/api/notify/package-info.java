/**
 * Notifications: e-mail and SMS messages rendered from templates per language and brand, queued durably in the
 * database and sent in the background with retries ({@link io.cachet.api.notify.Notifier}); the SPI through which
 * an SMS vendor plugs in ({@link io.cachet.api.notify.SmsGateway}); the brand's override of message templates
 * ({@link io.cachet.api.notify.MessageTemplates}); and the operators' view of the outbox, where the embedded
 * default keeps messages instead of sending them ({@link io.cachet.api.notify.Outbox}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.notify;
