Subject: ${brand.displayName}: order ${orderId} expired
Hello ${name},

The order ${orderId} of a qualified electronic seal for ${organisation} was not completed in the time allowed (the
identity and organisation checks, then the acceptance form): it has expired.
Nothing more will be done for it, and its links no longer open. To get your seal, place a new order.

Questions: ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
